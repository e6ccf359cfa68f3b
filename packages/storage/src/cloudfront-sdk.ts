/**
 * The part of the CloudFront SDK that an invalidation needs, loaded with `import()` when the first
 * one is sent: a module of its own, so that the bundler keeps only these two exports in that chunk.
 */
export { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
