/**
 * `@feedwright/local-stack`: AWS on one machine. s3rver and dynalite in-process, the table and
 * buckets provisioned, S3 notifications and DynamoDB stream records delivered to the real ingest and
 * render adapters as Lambda would, an inbox watcher, and a site server standing in for CloudFront.
 * `feedwright dev`, the integration tests and the benchmark all start it from here.
 */
export { AsyncInvoker, type AsyncInvokerOptions } from './async-invoker.ts';
export {
  type ConditionalHeaders,
  isNotModified,
  parseEntityTags,
  type Validators,
  weakEntityTag,
} from './conditional-get.ts';
export { acceptsGzip, isCompressible } from './content-encoding.ts';
export { LOCAL_DEFAULTS } from './defaults.ts';
export { startDynamoEmulatorThread, startS3EmulatorThread } from './emulator-thread.ts';
export {
  type DynamoEmulator,
  LocalDataError,
  type S3Emulator,
  S3RVER_CREDENTIALS,
  s3rverClient,
  startS3Emulator,
} from './emulators.ts';
export { ENDPOINTS_FILE, type LocalEndpoints, readLocalEndpoints } from './endpoints-file.ts';
export { describeAttributes, escapeControls, lineLogger } from './handler-log.ts';
export { type InboxOptions, type InboxWatcher, isDigestFile, watchInbox } from './inbox-watcher.ts';
export { createLambdaContext, type LocalFunction } from './lambda-context.ts';
export {
  isolatedStackOptions,
  type LocalStack,
  type LocalStackOptions,
  type SampleReport,
  startLocalStack,
} from './local-stack.ts';
export { createBuckets, createTable } from './provision.ts';
export { encodeS3EventKey } from './s3-key-encoding.ts';
export { createSequencer, isIngestedObject, type ObjectChange, toS3EventRecord } from './s3-notifications.ts';
export { S3RVER_KEY_LIMITS } from './s3rver-keys.ts';
export { type RepairedObject, repairS3rverData } from './s3rver-repair.ts';
export { DebouncedIndexer, type DebouncedIndexerOptions } from './search-indexer.ts';
export {
  isWholeObject,
  objectKeyForPath,
  type SiteServer,
  type SiteServerOptions,
  startSiteServer,
} from './site-server.ts';
export { mailKeyFor, type SmtpInbox, type SmtpInboxOptions, startSmtpInbox } from './smtp-inbox.ts';
export { readStackSettings, type StackSettings, stackSettingsPath } from './stack-settings.ts';
export {
  recordsToRetry,
  type StreamArrangement,
  StreamPoller,
  type StreamPollerOptions,
} from './stream-poller.ts';
export { type StreamListener, StreamRecorder, type StreamRecorderOptions } from './stream-recorder.ts';
export { openUploadLedger, type UploadLedger } from './upload-ledger.ts';
export { type BeforeWrite, hookWrites, type StackWrite, type WrittenItem } from './write-hook.ts';
