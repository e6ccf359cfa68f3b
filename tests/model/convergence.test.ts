import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, s3rverClient } from '@feedwright/local-stack';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildOfLiveDigests, siteBucket, startBareStack } from '../integration/local-stack/convergence.ts';
import { quietPowertools, tempDir } from '../integration/local-stack/support.ts';
import { DIGEST_KEYS, type DigestVersion, digestText, STORY_SLOTS } from './digests.ts';

/**
 * A model-based test of convergence: random sequences of uploads, corrected uploads, deletes, bursts
 * of concurrent uploads, two uploads of one key back to back, and hard stops with a restart, against
 * the in-process local stack on free ports. Nothing waits between operations. Afterwards the site
 * bucket must equal `feedwright build` of the digests live in the incoming bucket, save the updated
 * times of corrected stories.
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
  | { readonly kind: 'restart' };

const keyArb = fc.constantFrom(...DIGEST_KEYS);
const versionArb: fc.Arbitrary<DigestVersion> = fc.record({
  slots: fc.uniqueArray(fc.nat({ max: STORY_SLOTS.length - 1 }), {
    minLength: 1,
    maxLength: STORY_SLOTS.length,
  }),
  variant: fc.nat({ max: 2 }),
  hour: fc.constantFrom(9, 10),
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
      { seed: SEED, numRuns: RUNS, endOnFailure: true, verbose: true },
    );
  });
});

async function start(dataDir: string): Promise<{ stack: LocalStack; s3: S3Client }> {
  const stack = await startBareStack(dataDir);
  return { stack, s3: s3rverClient(stack.s3Endpoint) };
}

async function checkSequence(dataDir: string, operations: readonly Operation[]): Promise<void> {
  let { stack, s3 } = await start(dataDir);
  const put = (key: string, version: DigestVersion) =>
    s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: key, Body: digestText(version) }));
  try {
    for (const operation of operations) {
      switch (operation.kind) {
        case 'upload':
          await put(operation.key, operation.version);
          break;
        case 'delete':
          await s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: operation.key }));
          break;
        case 'burst':
          await Promise.all(operation.uploads.map(({ key, version }) => put(key, version)));
          break;
        case 'twice':
          await put(operation.key, operation.first);
          await put(operation.key, operation.second);
          break;
        case 'restart':
          s3.destroy();
          await stack.kill();
          ({ stack, s3 } = await start(dataDir));
          break;
      }
    }
    await stack.whenIdle();
    const expected = await buildOfLiveDigests(s3, stack.incomingBucket, stack.baseUrl);
    expect(await siteBucket(s3, stack.siteBucket)).toEqual(expected);
  } finally {
    s3.destroy();
    await stack.close();
  }
}
