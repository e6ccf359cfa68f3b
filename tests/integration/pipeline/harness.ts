import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseDigest } from '@feedwright/digest';
import { createLambdaContext, encodeS3EventKey, StreamRecorder } from '@feedwright/local-stack';
import {
  createIngestHandler,
  createRenderHandler,
  type ReportNotifier,
  redirectPages,
} from '@feedwright/pipeline';
import { assignIssueIds, buildSite, resolveSiteConfig } from '@feedwright/site';
import { createDynamoStoryStore } from '@feedwright/storage';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, S3Event, S3EventRecord } from 'aws-lambda';
import { expect } from 'vitest';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

export const INCOMING = 'feedwright-incoming';
export const SITE = 'feedwright-site';
export const BASE_URL = 'https://feeds.example.com/';

/** A Lambda context as the local stack makes one (what Powertools' injectLambdaContext reads). */
export function fakeContext(functionName: string): Context {
  return createLambdaContext({ functionName, region: 'us-east-1', accountId: '000000000000', memoryMB: 512 });
}

let sequencerClock = 0x10000000000000n;
/** Increasing S3-style sequencers (upper-case hex, 16+ digits). */
function nextSequencer(): string {
  sequencerClock += 0x1000n;
  return sequencerClock.toString(16).toUpperCase();
}

function s3Record(
  eventName: 'ObjectCreated:Put' | 'ObjectRemoved:Delete',
  key: string,
  sequencer: string,
  object: { size?: number; eTag?: string } = {},
): S3EventRecord {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: new Date().toISOString(),
    eventName,
    userIdentity: { principalId: 'EDITOR' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'HOST' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'digests',
      bucket: { name: INCOMING, ownerIdentity: { principalId: 'OWNER' }, arn: `arn:aws:s3:::${INCOMING}` },
      object: { key: encodeS3EventKey(key), sequencer, ...object } as S3EventRecord['s3']['object'],
    },
  };
}

/** Quiet Powertools instances: tests assert on behaviour, not on log lines. */
export function quiet(serviceName: string): { logger: Logger; metrics: Metrics } {
  return {
    logger: new Logger({ serviceName, logLevel: 'SILENT' }),
    metrics: new Metrics({
      namespace: 'feedwright',
      serviceName,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      },
    }),
  };
}

/** The real handlers on real emulators, with the stream recorder standing in for DynamoDB Streams. */
export interface Pipeline {
  readonly emulators: Emulators;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly recorder: StreamRecorder;
  ingest(event: S3Event): Promise<void>;
  /** Feeds every stream record made so far to render, as one batch (or the records given). */
  render(records?: DynamoDBRecord[]): Promise<DynamoDBBatchResponse>;
  /** GetObject calls ingest has made so far. */
  digestReads(): number;
  /** PutObject and DeleteObject calls render has made on the site bucket so far. */
  siteWrites(): number;
  /** Every object of the site bucket, path → body. */
  siteFiles(): Promise<Map<string, string>>;
  /** Every item of the table in its raw DynamoDB form (a Scan: tests only). */
  tableItems(): Promise<Record<string, unknown>[]>;
  /** PUTs a digest and returns the notification S3 would send. */
  upload(key: string, body: string | Uint8Array): Promise<S3Event>;
  /** Upload + ingest + render. */
  publish(key: string, body: string | Uint8Array): Promise<S3Event>;
  removed(key: string): S3Event;
  read(bucket: string, key: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface PipelineOptions {
  readonly maxDigestBytes?: number;
  /** Wraps the ingest's DynamoDB client, e.g. to inject failures. */
  readonly decorateIngestDynamo?: (client: DynamoDBClient) => void;
  /** Where ingest sends its reports (SNS on AWS). @default none */
  readonly notifier?: ReportNotifier;
  /** Ingest's logger, e.g. to read its lines. @default a silent one */
  readonly ingestLogger?: Logger;
}

export async function startPipeline(options: PipelineOptions = {}): Promise<Pipeline> {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const emulators = await startEmulators({ buckets: [INCOMING, SITE] });
  const s3 = emulators.s3Client();
  const dynamo = emulators.dynamoClient();
  const recorder = new StreamRecorder();
  recorder.attach(dynamo);
  options.decorateIngestDynamo?.(dynamo);
  const ingestS3 = emulators.s3Client();
  let digestReads = 0;
  ingestS3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetObjectCommand') digestReads += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countDigestReads' },
  );
  const ingestHandler = createIngestHandler({
    s3: ingestS3,
    dynamo,
    tableName: emulators.tableName,
    maxDigestBytes: options.maxDigestBytes,
    ...(options.notifier === undefined ? {} : { notifier: options.notifier }),
    ...quiet('feedwright-ingest'),
    ...(options.ingestLogger === undefined ? {} : { logger: options.ingestLogger }),
  });
  const renderDynamo = emulators.dynamoClient();
  const renderS3 = emulators.s3Client();
  let siteWrites = 0;
  renderS3.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutObjectCommand' || context.commandName === 'DeleteObjectCommand')
        siteWrites += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countSiteWrites' },
  );
  const renderHandler = createRenderHandler({
    s3: renderS3,
    dynamo: renderDynamo,
    tableName: emulators.tableName,
    siteBucket: SITE,
    site: { baseUrl: BASE_URL },
    ...quiet('feedwright-render'),
  });

  const upload = async (key: string, body: string | Uint8Array): Promise<S3Event> => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const output = await s3.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: bytes }));
    return {
      Records: [
        s3Record('ObjectCreated:Put', key, nextSequencer(), {
          size: bytes.byteLength,
          eTag: output.ETag?.replaceAll('"', ''),
        }),
      ],
    };
  };
  const pipeline: Pipeline = {
    emulators,
    s3,
    dynamo,
    recorder,
    ingest: (event) => ingestHandler(event),
    render: (records) => renderHandler({ Records: records ?? recorder.take() }, fakeContext('render')),
    siteWrites: () => siteWrites,
    digestReads: () => digestReads,
    async siteFiles() {
      const files = new Map<string, string>();
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: SITE, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) files.set(object.Key, (await pipeline.read(SITE, object.Key)) ?? '');
        }
        token = page.NextContinuationToken;
      } while (token !== undefined);
      return files;
    },
    async tableItems() {
      const { Items: items = [] } = await dynamo.send(new ScanCommand({ TableName: emulators.tableName }));
      return items;
    },
    upload,
    async publish(key, body) {
      const event = await upload(key, body);
      await pipeline.ingest(event);
      await pipeline.render();
      return event;
    },
    removed: (key) => ({ Records: [s3Record('ObjectRemoved:Delete', key, nextSequencer())] }),
    async read(bucket, key) {
      try {
        const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await output.Body?.transformToString('utf8');
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    stop: () => emulators.stop(),
  };
  return pipeline;
}

/**
 * Fails unless the site bucket holds exactly, byte for byte, what `feedwright build` makes of these
 * digest texts (archive included), but for the redirect pages that the table's redirect records call for
 * (`redirectPages`: build has no history), each left out by name only where it holds what they call for;
 * resolves the bucket's files (redirect pages included).
 */
export async function expectBucketIsBuild(
  pipeline: Pipeline,
  texts: readonly string[],
): Promise<Map<string, string>> {
  const all = await pipeline.siteFiles();
  const store = createDynamoStoryStore({ tableName: pipeline.emulators.tableName, client: pipeline.dynamo });
  const redirects = redirectPages(
    await store.redirects(),
    await store.liveStories(),
    resolveSiteConfig({ baseUrl: BASE_URL }),
  );
  const explained = new Map(redirects.map((file) => [file.path, file.body]));
  const files = new Map([...all].filter(([path, body]) => explained.get(path) !== body));
  const digests = texts.map((text) => parseDigest(text));
  const built = buildSite(
    digests.flatMap((digest) => digest.stories),
    resolveSiteConfig({ baseUrl: BASE_URL }),
    { issues: assignIssueIds(digests) },
  );
  expect([...files.keys()].sort()).toEqual(built.map((file) => file.path));
  for (const file of built) expect(files.get(file.path), file.path).toBe(file.body);
  return all;
}
