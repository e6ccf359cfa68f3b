import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseAllowedSenders, refusalOf, type SenderPolicy } from '@feedwright/mail';
import {
  createIngestHandler,
  createRenderHandler,
  type DigestLive,
  type ReconcileResult,
  reconcile,
} from '@feedwright/pipeline';
import { refreshSearchIndex } from '@feedwright/search';
import { resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import {
  createDynamoIssueRegistry,
  createDynamoStoryStore,
  S3DigestSource,
  S3SiteStore,
} from '@feedwright/storage';
import {
  BUCKET_PREFIXES,
  KEY_PREFIX,
  RENDER_STREAM_PREFIXES,
  reportKeyFor,
} from '@feedwright/storage/schema';
import type { S3Event } from 'aws-lambda';
import { AsyncInvoker, describe } from './async-invoker.ts';
import { LOCAL_DEFAULTS } from './defaults.ts';
import { startDynamoEmulatorThread, startS3EmulatorThread } from './emulator-thread.ts';
import { S3RVER_CREDENTIALS, s3rverClient } from './emulators.ts';
import { removeLocalEndpoints, writeLocalEndpoints } from './endpoints-file.ts';
import { escapeControls, lineLogger } from './handler-log.ts';
import { isDigestFile, watchInbox } from './inbox-watcher.ts';
import type { LocalFunction } from './lambda-context.ts';
import { createTable } from './provision.ts';
import { createSequencer, isIngestedObject, type ObjectChange, toS3EventRecord } from './s3-notifications.ts';
import { S3RVER_KEY_LIMITS } from './s3rver-keys.ts';
import { type RepairedObject, repairS3rverData } from './s3rver-repair.ts';
import { DebouncedIndexer } from './search-indexer.ts';
import { startSiteServer } from './site-server.ts';
import { startSmtpInbox } from './smtp-inbox.ts';
import { writeStackSettings } from './stack-settings.ts';
import { type StreamArrangement, StreamPoller } from './stream-poller.ts';
import { StreamRecorder } from './stream-recorder.ts';
import { openUploadLedger } from './upload-ledger.ts';
import { type BeforeWrite, hookWrites } from './write-hook.ts';

/**
 * Options for a stack that shares nothing with others on the machine (tests, benchmarks): free ports,
 * data under `dataDir`, no sample digests, no inbox, and no SMTP server (2525 could be taken).
 */
export function isolatedStackOptions(
  dataDir: string,
  log: (line: string) => void = () => undefined,
): LocalStackOptions {
  return {
    sitePort: 0,
    s3Port: 0,
    dynamoPort: 0,
    smtpPort: null,
    dataDir,
    digestsDir: null,
    inboxDir: null,
    searchIndexIntervalMs: null,
    log,
  };
}

export interface LocalStackOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The CloudFront stand-in; 0 picks a free port. @default 8787 */
  readonly sitePort?: number;
  /** s3rver; 0 picks a free port. @default 4569 */
  readonly s3Port?: number;
  /** dynalite; 0 picks a free port. @default 4567 */
  readonly dynamoPort?: number;
  /** Emulator data (`s3/`, `dynamo/`), kept across runs. @default '.feedwright' */
  readonly dataDir?: string;
  /** Sample digests uploaded at start; null for none. @default 'events/digests' */
  readonly digestsDir?: string | null;
  /** The watched drop folder, created if missing; null for none. @default 'inbox' */
  readonly inboxDir?: string | null;
  /** The SMTP server mailed digests are sent to; 0 picks a free port, null for none. @default 2525 */
  readonly smtpPort?: number | null;
  /**
   * Only these senders may publish by mail (`a@x.com,@example.com`); local mail is otherwise
   * trusted, with no SPF/DKIM verdicts to check.
   * @default undefined - any sender
   */
  readonly allowedSenders?: string;
  /**
   * The site's settings (title, hub, items per feed, …: `@feedwright/config`), resolved once into the
   * one configuration that render, reconcile and the site server share.
   * @default the site package's defaults, with `baseUrl` the site server's URL
   */
  readonly site?: Partial<SiteConfig>;
  /** Time zone of the digests' wall times. @default 'UTC' */
  readonly digestTimezone?: string;
  /** Largest digest accepted, in bytes. @default 5 MiB */
  readonly maxDigestBytes?: number;
  /**
   * The search index (`pagefind/`, `search.html`) is rebuilt this long after stories change, and at most
   * this often while they keep changing; null: no search index.
   * @default 3000
   */
  readonly searchIndexIntervalMs?: number | null;
  /** @default 'feedwright' */
  readonly tableName?: string;
  /** @default 'feedwright-incoming' */
  readonly incomingBucket?: string;
  /** @default 'feedwright-site' */
  readonly siteBucket?: string;
  /** The local stack's own log lines, and the handlers' unless `handlerLogs` is 'json'. @default stderr */
  readonly log?: (line: string) => void;
  /**
   * How the handlers' logs are written: 'lines', one short line each through `log` (see `lineLogger`);
   * 'json', Powertools' JSON on stdout, as CloudWatch gets it.
   * @default 'lines'
   */
  readonly handlerLogs?: 'lines' | 'json';
  /**
   * Reconcile at start (after repairing s3rver's half-written files): uploads whose events were lost
   * (a crash, or accepted before the stack listened) are applied, and the site made to match.
   * @default true
   */
  readonly reconcileAtStart?: boolean;
  /**
   * Called before every write the stack's functions send (ingest, render, reconcile; not other S3
   * clients' uploads): throwing fails the write before it is sent. For crash tests, which stop the
   * functions at an exact write and then `kill()` the stack.
   * @default undefined - no hook
   */
  readonly beforeWrite?: BeforeWrite;
}

/** What ingest reported for one sample digest (`reports/digests/<name>.json`). */
export interface SampleReport {
  readonly name: string;
  /** `ok`, `rejected`, … or `missing` while no report exists. */
  readonly status: string;
  readonly stories?: number;
  readonly reason?: string;
}

/** A running local stack. */
export interface LocalStack {
  /** The CloudFront stand-in, e.g. `http://127.0.0.1:8787/`. */
  readonly siteUrl: string;
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly region: string;
  /** The access key s3rver accepts from signed requests. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly incomingBucket: string;
  readonly siteBucket: string;
  readonly tableName: string;
  /** The site's base URL: `site.baseUrl`. */
  readonly baseUrl: string;
  /** The one site configuration render, reconcile and the site server use. */
  readonly site: SiteConfig;
  readonly dataDir: string;
  readonly inboxDir: string | null;
  /** The SMTP server's port (on `host`), or null when it is off. */
  readonly smtpPort: number | null;
  /** The sample digests uploaded at start. */
  readonly samples: readonly string[];
  /** The ingest reports of the sample digests, as far as they are written. */
  sampleReports(): Promise<SampleReport[]>;
  /** Resolves once every upload seen so far has gone through ingest and render (and the search index). */
  whenIdle(): Promise<void>;
  /** Runs one reconcile of the incoming bucket, the table and the site bucket (see `reconcile`). */
  reconcile(): Promise<ReconcileResult>;
  /**
   * Holds the stream records back from render until {@link LocalStack.releaseStream} (for tests that
   * choose how records fall into batches and in which order the batches come).
   */
  holdStream(): void;
  /**
   * Waits for ingest to finish what it has, then delivers the held records in the batches `arrange`
   * makes of them, one batch after another, and renders as usual from then on.
   */
  releaseStream(arrange: StreamArrangement): Promise<void>;
  /** Stops watching, lets running handlers finish, and closes the servers. */
  close(): Promise<void>;
  /**
   * Stops at once, as a `kill -9` would for what it loses: the servers close first, so S3 events and
   * stream records still queued or running fail and are dropped, and nothing is rendered on the way
   * out. Resolves once those doomed invocations have settled (for tests: the data dir can be reused).
   */
  kill(): Promise<void>;
}

/** What the inbox uploaded (file name and SHA-256), in the data dir: see `openUploadLedger`. */
const INBOX_LEDGER = 'inbox-uploads.json';

/** How the start-up line names each repair of the local S3's files. */
const REPAIR_WORDS: Record<RepairedObject['action'], string> = {
  removed: 'removed half-written object',
  'md5-dropped': 'dropped bad MD5 of',
  'partial-removed': 'removed the files of a write a stop cut off:',
};

const REGION = 'us-east-1';
const ACCOUNT_ID = '123456789012';
const INGEST_FUNCTION: LocalFunction = {
  functionName: 'feedwright-ingest',
  region: REGION,
  accountId: ACCOUNT_ID,
};
const RENDER_FUNCTION: LocalFunction = {
  functionName: 'feedwright-render',
  region: REGION,
  accountId: ACCOUNT_ID,
};

/**
 * Starts the whole service on one machine: s3rver and dynalite in-process, the real ingest and
 * render handlers fed the event shapes AWS delivers, and an HTTP server standing in for
 * CloudFront. Resolves once the servers listen and the sample digests are uploaded; await
 * `whenIdle()` for them to be in the feeds.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? '.feedwright');
  const tableName = options.tableName ?? LOCAL_DEFAULTS.tableName;
  const incomingBucket = options.incomingBucket ?? LOCAL_DEFAULTS.incomingBucket;
  const siteBucket = options.siteBucket ?? LOCAL_DEFAULTS.siteBucket;
  const sink = options.log ?? ((line: string) => process.stderr.write(`[dev] ${line}\n`));
  // Keys, file names, senders and reasons in these lines are others' text: one entry, one line.
  const log = (line: string) => sink(escapeControls(line));
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => log(`shutdown: ${describe(error)}`));
    }
  };

  try {
    // Before s3rver reads them: files a hard stop cut off would fail every request for their keys.
    for (const repaired of await repairS3rverData(join(dataDir, 's3'))) {
      log(`repair: ${REPAIR_WORDS[repaired.action]} ${repaired.path}`);
    }
    const s3Emulator = await startS3EmulatorThread({
      host,
      port: options.s3Port ?? LOCAL_DEFAULTS.s3Port,
      directory: join(dataDir, 's3'),
      buckets: [incomingBucket, siteBucket],
    });
    closers.push(s3Emulator.close);
    const dynamoEmulator = await startDynamoEmulatorThread({
      host,
      port: options.dynamoPort ?? LOCAL_DEFAULTS.dynamoPort,
      directory: join(dataDir, 'dynamo'),
    });
    closers.push(dynamoEmulator.close);

    const s3 = s3rverClient(s3Emulator.endpoint, REGION);
    const dynamo = new DynamoDBClient({
      endpoint: dynamoEmulator.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    closers.push(async () => {
      s3.destroy();
      dynamo.destroy();
    });
    if (options.beforeWrite !== undefined) {
      hookWrites(s3, 's3', options.beforeWrite);
      hookWrites(dynamo, 'dynamodb', options.beforeWrite);
    }

    let siteConfig: SiteConfig | undefined;
    const site = await startSiteServer({
      s3,
      bucket: siteBucket,
      host,
      port: options.sitePort ?? LOCAL_DEFAULTS.sitePort,
      onError: (error, path) => log(`site: ${path}: ${describe(error)}`),
      site: () => siteConfig,
    });
    closers.push(site.close);
    // The one site configuration of this stack: render, reconcile and the site server's Link
    // headers all read this object, so they cannot disagree (a reconcile that lost the hub would
    // rewrite every feed without it).
    siteConfig = resolveSiteConfig({ ...options.site, baseUrl: options.site?.baseUrl ?? site.url });
    const digestTimezone = options.digestTimezone ?? 'UTC';

    // dynalite has no streams: the recorder on the handlers' one DynamoDB client turns every write
    // into the NEW_AND_OLD_IMAGES stream record AWS would deliver.
    let poller: StreamPoller | undefined;
    const recorder = new StreamRecorder({ region: REGION, accountId: ACCOUNT_ID, buffer: false });
    recorder.attach(dynamo);
    recorder.subscribe((record) => poller?.push([record]));
    const searchIndex = startSearchIndexer(options, {
      stories: createDynamoStoryStore({ tableName, client: dynamo }),
      site: new S3SiteStore({ bucket: siteBucket, client: s3 }),
      config: siteConfig,
      log,
    });
    if (searchIndex !== undefined) {
      // As the search-index function's event source: a change of any story item.
      recorder.subscribe((record) => {
        if (record.dynamodb?.Keys?.pk?.S?.startsWith(KEY_PREFIX.story) === true) searchIndex.touch();
      });
      closers.push(() => searchIndex.close());
    }
    // Recorded for the commands that repair this stack later (reconcile): the same sender policy.
    await writeStackSettings(dataDir, {
      allowedSenders: options.allowedSenders ?? null,
      timezone: digestTimezone,
    });
    // Local mail is trusted (nothing here checks SPF or DKIM); only the allow-list applies.
    const mail: SenderPolicy = {
      verdicts: 'trusted',
      ...(options.allowedSenders ? { allowedSenders: parseAllowedSenders(options.allowedSenders) } : {}),
    };
    // What the stack says itself (its `live:` and `reconcile:` lines) is not said again.
    const handlerLogger = (functionName: string) =>
      options.handlerLogs === 'json'
        ? {}
        : { logger: lineLogger(functionName, log, new Set(['digest live', 'reconciled'])) };
    const ingest = createIngestHandler({
      ...handlerLogger('ingest'),
      s3,
      dynamo,
      tableName,
      timezone: digestTimezone,
      ...(options.maxDigestBytes === undefined ? {} : { maxDigestBytes: options.maxDigestBytes }),
      mail,
      keyLimits: S3RVER_KEY_LIMITS,
    });
    const render = createRenderHandler({
      ...handlerLogger('render'),
      s3,
      dynamo,
      tableName,
      siteBucket,
      site: siteConfig,
      incomingBucket,
      // Freshness, as render measures it on AWS: one line per digest that went live.
      onLive: (live) => log(liveLine(live)),
    });
    await createTable(dynamo, tableName);

    poller = new StreamPoller({
      fn: RENDER_FUNCTION,
      handler: render,
      // As the CDK event source's filters: only story items and issue records concern render.
      filter: (record) =>
        RENDER_STREAM_PREFIXES.some((prefix) => record.dynamodb?.Keys?.pk?.S?.startsWith(prefix) === true),
      log,
    });
    const streamPoller = poller;
    closers.push(() => streamPoller.close());

    const ingestInvoker = new AsyncInvoker<S3Event>({ fn: INGEST_FUNCTION, handler: ingest, log });
    closers.push(() => ingestInvoker.idle());
    const sequencer = createSequencer();
    let accepting = true;
    const notify = (change: ObjectChange) => {
      if (!accepting || !isIngestedObject(change, incomingBucket)) return;
      const record = toS3EventRecord(change, {
        region: REGION,
        configurationId: 'feedwright-ingest',
        sequencer,
      });
      ingestInvoker.invoke(
        { Records: [record] },
        `${change.bucket}/${change.key}`,
        `${change.eventName} ${change.key}`,
      );
      // Once no ingest runs, its stream records are all there: render them now, not at the window's end.
      void ingestInvoker.idle().then(() => streamPoller.flush());
    };
    s3Emulator.onObjectChange(notify);
    closers.push(async () => {
      accepting = false;
    });

    const reconcileServices = {
      ...handlerLogger('reconcile'),
      source: new S3DigestSource({ client: s3 }),
      incomingBucket,
      stories: createDynamoStoryStore({ tableName, client: dynamo }),
      issues: createDynamoIssueRegistry({ tableName, client: dynamo }),
      site: new S3SiteStore({ bucket: siteBucket, client: s3 }),
      config: siteConfig,
      timezone: digestTimezone,
      ...(options.maxDigestBytes === undefined ? {} : { maxDigestBytes: options.maxDigestBytes }),
      mail,
      keyLimits: S3RVER_KEY_LIMITS,
    };
    const reconcileNow = async (): Promise<ReconcileResult> => {
      const result = await reconcile(reconcileServices);
      log(
        `reconcile: ${result.digests} digests, re-applied ${result.reapplied.length}, withdrew ` +
          `${result.withdrawn.length}; site: wrote ${result.written.length}, deleted ${result.deleted.length}` +
          (result.firstSite ? ' (the first site: no digest yet)' : ''),
      );
      return result;
    };
    // Uploads accepted while the stack was down or starting (their events are lost) and whatever a
    // hard stop left half-done: applied now, before anything new arrives.
    if (options.reconcileAtStart ?? true) await reconcileNow();
    // The index of what the table holds now, whatever happened while the stack was down.
    searchIndex?.touch();

    const upload = async (name: string, bytes: Buffer) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: incomingBucket,
          Key: `${BUCKET_PREFIXES.digests}${name}`,
          Body: bytes,
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
    };

    const samples =
      options.digestsDir === null
        ? []
        : await uploadSamples(resolve(options.digestsDir ?? 'events/digests'), upload, log);

    const inboxDir = options.inboxDir === null ? null : resolve(options.inboxDir ?? 'inbox');
    const inbox =
      inboxDir === null
        ? undefined
        : await watchInbox({
            directory: inboxDir,
            upload,
            log,
            ledger: await openUploadLedger(join(dataDir, INBOX_LEDGER), log),
          });
    if (inbox !== undefined) closers.push(() => inbox.close());

    const smtp =
      options.smtpPort === null
        ? undefined
        : await startSmtpInbox({
            host,
            port: options.smtpPort ?? LOCAL_DEFAULTS.smtpPort,
            maxBytes: LOCAL_DEFAULTS.smtpMaxBytes,
            prefix: BUCKET_PREFIXES.mail,
            // Ingest's own acceptance, before the message is stored: a refused one is refused in
            // the SMTP dialogue, so its sender learns why, and nothing of it goes live.
            check: (raw) =>
              refusalOf(raw, {
                policy: mail,
                timezone: digestTimezone,
                ...(options.maxDigestBytes === undefined ? {} : { maxBytes: options.maxDigestBytes }),
              }),
            store: async (key, raw) => {
              await s3.send(
                new PutObjectCommand({
                  Bucket: incomingBucket,
                  Key: key,
                  Body: raw,
                  ContentType: 'message/rfc822',
                }),
              );
            },
            log,
          });
    if (smtp !== undefined) closers.push(() => smtp.close());

    const whenIdle = async () => {
      // Each stage can feed the next (inbox → S3 event → ingest → stream → render): wait for
      // all of them in that order until a full pass finds nothing left.
      for (;;) {
        await inbox?.idle();
        await smtp?.idle();
        await ingestInvoker.idle();
        await streamPoller.idle();
        await searchIndex?.idle();
        if (
          ingestInvoker.pending === 0 &&
          !streamPoller.busy &&
          (searchIndex === undefined || !searchIndex.busy) &&
          (inbox === undefined || !inbox.busy) &&
          (smtp === undefined || !smtp.busy)
        ) {
          return;
        }
      }
    };

    // Last, once everything listens: `publish`, `withdraw` and `reconcile` find this stack from here;
    // first to go on a clean stop (a hard stop leaves it, and they report the stack unreachable).
    await writeLocalEndpoints(dataDir, {
      pid: process.pid,
      siteUrl: site.url,
      s3Endpoint: s3Emulator.endpoint,
      dynamoEndpoint: dynamoEmulator.endpoint,
      region: REGION,
      incomingBucket,
      siteBucket,
      tableName,
      smtp: smtp === undefined ? null : `${host}:${smtp.port}`,
      settings: {
        site: siteConfig,
        digestTimezone,
        ...(options.maxDigestBytes === undefined ? {} : { maxDigestBytes: options.maxDigestBytes }),
        ...(options.allowedSenders === undefined ? {} : { allowedSenders: options.allowedSenders }),
      },
    });
    closers.push(() => removeLocalEndpoints(dataDir));

    return {
      siteUrl: site.url,
      s3Endpoint: s3Emulator.endpoint,
      dynamoEndpoint: dynamoEmulator.endpoint,
      region: REGION,
      credentials: S3RVER_CREDENTIALS,
      incomingBucket,
      siteBucket,
      tableName,
      baseUrl: siteConfig.baseUrl,
      site: siteConfig,
      dataDir,
      inboxDir,
      smtpPort: smtp?.port ?? null,
      samples,
      sampleReports: () => Promise.all(samples.map((name) => readReport(s3, incomingBucket, name))),
      whenIdle,
      reconcile: reconcileNow,
      holdStream: () => streamPoller.hold(),
      releaseStream: async (arrange) => {
        await ingestInvoker.idle();
        await streamPoller.release(arrange);
      },
      close: closeAll,
      kill: async () => {
        accepting = false;
        closers.splice(0);
        await inbox?.close();
        await site.close();
        await s3Emulator.close();
        await dynamoEmulator.close();
        await ingestInvoker.idle();
        await streamPoller.close();
        s3.destroy();
        dynamo.destroy();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The debounced search indexer of the stack, unless `searchIndexIntervalMs` is null. */
function startSearchIndexer(
  options: LocalStackOptions,
  services: Omit<Parameters<typeof refreshSearchIndex>[0], 'archive'> & { log: (line: string) => void },
): DebouncedIndexer | undefined {
  const intervalMs =
    options.searchIndexIntervalMs === undefined
      ? LOCAL_DEFAULTS.searchIndexIntervalMs
      : options.searchIndexIntervalMs;
  if (intervalMs === null) return undefined;
  return new DebouncedIndexer({
    intervalMs,
    rebuild: async () => {
      const result = await refreshSearchIndex(services);
      services.log(
        `search: ${result.stories} stories indexed; wrote ${result.written.length}, deleted ${result.deleted.length}`,
      );
    },
    onError: (error) => services.log(`search: ${describe(error)}`),
  });
}

async function readReport(s3: S3Client, bucket: string, name: string): Promise<SampleReport> {
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: reportKeyFor(`${BUCKET_PREFIXES.digests}${name}`) }),
    );
    const report = JSON.parse((await object.Body?.transformToString('utf8')) ?? '{}') as {
      status?: unknown;
      reason?: unknown;
      stories?: { total?: unknown };
    };
    return {
      name,
      status: typeof report.status === 'string' ? report.status : 'unknown',
      ...(typeof report.stories?.total === 'number' ? { stories: report.stories.total } : {}),
      ...(typeof report.reason === 'string' ? { reason: report.reason } : {}),
    };
  } catch {
    return { name, status: 'missing' };
  }
}

async function uploadSamples(
  directory: string,
  upload: (name: string, bytes: Buffer) => Promise<void>,
  log: (line: string) => void,
): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter(isDigestFile).sort();
  } catch (error) {
    log(`samples: cannot read ${directory}: ${describe(error)}`);
    return [];
  }
  for (const name of names) await upload(name, await readFile(join(directory, name)));
  return names;
}

/** `live: digests/x.txt in 812 ms (upload to last site object)`: the local stack's freshness line. */
function liveLine(live: DigestLive): string {
  const took = live.freshnessMs === undefined ? 'with no event time' : `in ${live.freshnessMs} ms`;
  return `live: ${live.key} ${took} (upload to last site object)`;
}
