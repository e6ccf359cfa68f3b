import { join } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { parseDigest } from '@feedwright/digest';
import {
  isolatedStackOptions,
  type LocalStack,
  type StackWrite,
  type StreamArrangement,
  s3rverClient,
  startLocalStack,
} from '@feedwright/local-stack';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildOfLiveDigests, redirectPagesOf, siteBucket } from '../integration/local-stack/convergence.ts';
import { quietPowertools, tempDir } from '../integration/local-stack/support.ts';
import { DIGEST_DATES, DIGEST_KEYS, type DigestVersion, digestText, STORY_SLOTS } from './digests.ts';

/**
 * A model-based test of convergence: random sequences of uploads, corrected uploads, deletes, bursts
 * of concurrent uploads, two uploads of one key back to back, hard stops with a restart, crashes
 * injected at the n-th write of ingest (the stack's functions stopped at that exact write, then
 * killed and restarted), and stream records held back and delivered in batches of a chosen order,
 * against the in-process local stack on free ports. Nothing waits between operations. Afterwards the
 * site bucket must equal `feedwright build` of the digests live in the incoming bucket, save the
 * updated times of corrected stories; every digest's report must be its current version's; and every
 * feed's `prev-archive` chain must reach every archive document of its topic.
 *
 * FEEDWRIGHT_MODEL_RUNS (default 3: the short run of `npm test`) and FEEDWRIGHT_MODEL_SEED (default:
 * random, printed) make a run reproducible: `FEEDWRIGHT_MODEL_SEED=<seed> npm run test:model`.
 */
const RUNS = positive(process.env.FEEDWRIGHT_MODEL_RUNS, 3);
const SEED = Number.isSafeInteger(Number(process.env.FEEDWRIGHT_MODEL_SEED))
  ? Number(process.env.FEEDWRIGHT_MODEL_SEED)
  : Math.floor(Math.random() * 2 ** 31);
function positive(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : fallback;
}

type Operation =
  | { readonly kind: 'upload'; readonly key: string; readonly version: DigestVersion }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'burst'; readonly uploads: readonly { key: string; version: DigestVersion }[] }
  | {
      readonly kind: 'twice';
      readonly key: string;
      readonly first: DigestVersion;
      readonly second: DigestVersion;
    }
  | { readonly kind: 'restart' }
  /** The uploads at once; the stack's functions die at the `at`-th write of ingest; a restart. */
  | { readonly kind: 'crash'; readonly uploads: readonly Upload[]; readonly at: number }
  /** Uploads and deletes whose stream records are held, then delivered in batches `seed` arranges. */
  | { readonly kind: 'held'; readonly changes: readonly Change[]; readonly seed: number };

type Upload = { readonly key: string; readonly version: DigestVersion };
type Change = { readonly key: string; readonly version: DigestVersion | null };

const keyArb = fc.constantFrom(...DIGEST_KEYS);
const versionArb: fc.Arbitrary<DigestVersion> = fc.record({
  slots: fc.uniqueArray(fc.nat({ max: STORY_SLOTS.length - 1 }), {
    minLength: 1,
    maxLength: STORY_SLOTS.length,
  }),
  variant: fc.nat({ max: 2 }),
  day: fc.nat({ max: DIGEST_DATES.length - 1 }),
  hour: fc.constantFrom(9, 10),
});
const uploadsArb = fc.uniqueArray(fc.record({ key: keyArb, version: versionArb }), {
  minLength: 1,
  maxLength: DIGEST_KEYS.length,
  selector: (upload) => upload.key,
});
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('upload' as const), key: keyArb, version: versionArb }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keyArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      uploads: fc.uniqueArray(fc.record({ key: keyArb, version: versionArb }), {
        minLength: 2,
        maxLength: DIGEST_KEYS.length,
        selector: (upload) => upload.key,
      }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('twice' as const),
      key: keyArb,
      first: versionArb,
      second: versionArb,
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('crash' as const),
      uploads: uploadsArb,
      // An upload of a few stories writes about 10 to 20 times (claim, topics, stories, commit, issue,
      // report, settle): past the last, the crash comes after everything.
      at: fc.integer({ min: 1, max: 60 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('held' as const),
      changes: fc.uniqueArray(fc.record({ key: keyArb, version: fc.option(versionArb, { freq: 4 }) }), {
        minLength: 1,
        maxLength: DIGEST_KEYS.length,
        selector: (change) => change.key,
      }),
      seed: fc.integer(),
    }),
  },
);

describe('Model: the site converges to build of the live digests', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    quietPowertools('CRITICAL');
    work = await tempDir('feedwright-model-');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await work.remove();
  });

  it(`holds for random operation sequences (seed ${SEED}, ${RUNS} runs)`, {
    timeout: 60_000 + RUNS * 30_000,
  }, async () => {
    process.stdout.write(`model test: seed ${SEED}, ${RUNS} runs (replay: FEEDWRIGHT_MODEL_SEED=${SEED})\n`);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operationArb, { minLength: 1, maxLength: 8 }), async (operations) => {
        run += 1;
        await checkSequence(join(work.path, `run-${run}`), operations);
      }),
      {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
        verbose: true,
        examples: [[CRASH_AFTER_COMMIT], [NEIGHBOUR_AHEAD]],
      },
    );
  });
});

/**
 * The stack's functions as one process that a test can kill at the `at`-th write of ingest (to the table,
 * or a report): that write and every later one fail, render's too, until `revive`.
 */
class Crash {
  #writes = 0;
  #at = Number.POSITIVE_INFINITY;
  #dead = false;
  #died: () => void = () => undefined;
  died: Promise<void> = new Promise(() => undefined);

  arm(at: number): void {
    this.#writes = 0;
    this.#at = at;
    this.died = new Promise((resolve) => {
      this.#died = resolve;
    });
  }

  revive(): void {
    this.#dead = false;
    this.#at = Number.POSITIVE_INFINITY;
  }

  readonly beforeWrite = (write: StackWrite): void => {
    if (!this.#dead && (write.service === 'dynamodb' || write.key?.startsWith('reports/') === true)) {
      this.#writes += 1;
      if (this.#writes >= this.#at) {
        this.#dead = true;
        this.#died();
      }
    }
    if (this.#dead) throw new Error('the process was killed (injected)');
  };
}

const metals = (day: number): DigestVersion => ({ slots: [2], variant: 0, day, hour: 9 });

/**
 * Always run first: one upload of a one-story digest stopped at its fifth write of ingest, the first
 * after the manifest's commit (claim, topic, story, commit, then the issue record, the report and the
 * settle): the restart's reconcile must record its issue and write its report.
 */
const CRASH_AFTER_COMMIT: readonly Operation[] = [
  { kind: 'crash', uploads: [{ key: 'digests/a.txt', version: metals(0) }], at: 5 },
];

/**
 * Always run first: December and May published (and rendered, by the restart's reconcile); then
 * January and March at once, their records held and delivered so that January's story comes in a
 * batch before March's. January's batch renders March
 * (in the table already) as its neighbour; March's own batch then finds its documents there, and May
 * must have been relinked to March by then.
 */
const NEIGHBOUR_AHEAD: readonly Operation[] = [
  {
    kind: 'burst',
    uploads: [
      { key: 'digests/a.txt', version: metals(0) },
      { key: 'digests/b.txt', version: metals(3) },
    ],
  },
  { kind: 'restart' },
  {
    kind: 'held',
    changes: [
      { key: 'digests/e.txt', version: metals(1) },
      { key: 'digests/f.txt', version: metals(2) },
    ],
    // A seed whose batches bring January's story before March's: May's links went stale without relinking.
    seed: 4,
  },
];

async function start(dataDir: string, crash: Crash): Promise<{ stack: LocalStack; s3: S3Client }> {
  const stack = await startLocalStack({ ...isolatedStackOptions(dataDir), beforeWrite: crash.beforeWrite });
  return { stack, s3: s3rverClient(stack.s3Endpoint) };
}

async function checkSequence(dataDir: string, operations: readonly Operation[]): Promise<void> {
  const crash = new Crash();
  let { stack, s3 } = await start(dataDir, crash);
  const put = (key: string, version: DigestVersion) =>
    s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: key, Body: digestText(version) }));
  const remove = (key: string) =>
    s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: key }));
  const restart = async () => {
    s3.destroy();
    await stack.kill();
    crash.revive();
    ({ stack, s3 } = await start(dataDir, crash));
  };
  try {
    for (const operation of operations) {
      switch (operation.kind) {
        case 'upload':
          await put(operation.key, operation.version);
          break;
        case 'delete':
          await remove(operation.key);
          break;
        case 'burst':
          await Promise.all(operation.uploads.map(({ key, version }) => put(key, version)));
          break;
        case 'twice':
          await put(operation.key, operation.first);
          await put(operation.key, operation.second);
          break;
        case 'restart':
          await restart();
          break;
        case 'crash':
          crash.arm(operation.at);
          await Promise.all(operation.uploads.map(({ key, version }) => put(key, version)));
          await Promise.race([crash.died, stack.whenIdle()]);
          await restart();
          break;
        case 'held':
          stack.holdStream();
          await Promise.all(
            operation.changes.map(({ key, version }) => (version === null ? remove(key) : put(key, version))),
          );
          await stack.releaseStream(arrangement(operation.seed));
          break;
      }
    }
    await stack.whenIdle();
    const expected = await buildOfLiveDigests(s3, stack.incomingBucket, stack.baseUrl);
    const site = await siteBucket(s3, stack.siteBucket, await redirectPagesOf(stack));
    expect(site).toEqual(expected);
    expect(await reportsOf(s3, stack.incomingBucket)).toEqual(await wantedReports(s3, stack.incomingBucket));
    expect(brokenArchiveChains(site, stack.baseUrl)).toEqual([]);
  } finally {
    s3.destroy();
    await stack.close();
  }
}

/**
 * Cuts held stream records into batches: each item's records in their order (one shard's guarantee),
 * the items interleaved at random (several shards), in batches of one to four records.
 */
function arrangement(seed: number): StreamArrangement {
  return (records) => {
    const random = mulberry32(seed);
    const byItem = new Map<string, DynamoDBRecord[]>();
    for (const record of records) {
      const item = `${record.dynamodb?.Keys?.pk?.S}/${record.dynamodb?.Keys?.sk?.S}`;
      byItem.set(item, [...(byItem.get(item) ?? []), record]);
    }
    // By item key, not arrival: the same records and seed give the same batches, whatever ingest's timing.
    const queues = [...byItem].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, queue]) => queue);
    const ordered: DynamoDBRecord[] = [];
    while (queues.length > 0) {
      const index = Math.floor(random() * queues.length);
      const queue = queues[index] ?? [];
      const next = queue.shift();
      if (next !== undefined) ordered.push(next);
      if (queue.length === 0) queues.splice(index, 1);
    }
    const batches: DynamoDBRecord[][] = [];
    while (ordered.length > 0) batches.push(ordered.splice(0, 1 + Math.floor(random() * 4)));
    return batches;
  };
}

/** A small seeded generator (mulberry32): the same seed, the same batches. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every object under `prefix` of `bucket`, by key, as text. */
async function objectsOf(s3: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const objects = new Map<string, string>();
  for (const { Key: key } of listed.Contents ?? []) {
    if (key === undefined) continue;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    objects.set(key, (await object.Body?.transformToString('utf8')) ?? '');
  }
  return objects;
}

/** Each digest's report as `<status> <title>`: what an editor is told. */
async function reportsOf(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  const reports = await objectsOf(s3, bucket, 'reports/digests/');
  return Object.fromEntries(
    [...reports].map(([key, text]) => {
      const report = JSON.parse(text) as { status: string; digest?: { title: string } };
      return [key, `${report.status} ${report.digest?.title ?? ''}`.trim()];
    }),
  );
}

/** The reports wanted: `ok` and its title for every current digest, `withdrawn` for every deleted one. */
async function wantedReports(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  const digests = await objectsOf(s3, bucket, 'digests/');
  const reported = Object.keys(await reportsOf(s3, bucket));
  const wanted: Record<string, string> = {};
  for (const [key, text] of digests) wanted[`reports/${key}.json`] = `ok ${parseDigest(text).title}`;
  for (const key of reported) wanted[key] ??= 'withdrawn';
  return Object.fromEntries(Object.entries(wanted).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The feeds whose `prev-archive` chain (from the subscription feed, through the archive documents)
 * misses an archive document of the topic, or runs in a circle: RFC 5005's promise that walking the
 * chain gives the whole archive.
 */
function brokenArchiveChains(site: ReadonlyMap<string, string>, baseUrl: string): string[] {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const broken: string[] = [];
  for (const path of site.keys()) {
    const feed = /^feeds\/([^/]+)\/atom\.xml$/.exec(path)?.[1];
    if (feed === undefined) continue;
    const documents = [...site.keys()].filter(
      (key) => key.startsWith(`feeds/${feed}/archive/`) && key.endsWith('.xml'),
    );
    const seen = new Set<string>();
    let at = path;
    for (;;) {
      const href = /<link rel="prev-archive" type="[^"]*" href="([^"]+)"\/>/.exec(site.get(at) ?? '')?.[1];
      if (href === undefined) break;
      at = href.replace(/&amp;/g, '&').slice(base.length);
      if (seen.has(at)) break;
      seen.add(at);
    }
    const missing = documents.filter((document) => !seen.has(document));
    if (missing.length > 0 || [...seen].some((document) => !site.has(document))) {
      broken.push(`${path}: the chain reaches ${[...seen].join(', ')}; misses ${missing.join(', ')}`);
    }
  }
  return broken;
}
