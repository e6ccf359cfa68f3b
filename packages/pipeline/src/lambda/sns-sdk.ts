/**
 * The part of the SNS SDK that a report notification needs, loaded with `import()` when the first
 * one is sent: a module of its own, so that the bundler keeps only these two exports in that chunk.
 */
export { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
