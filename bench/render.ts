import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Story } from '@feedwright/digest';
import {
  createBuckets,
  createLambdaContext,
  createTable,
  S3RVER_CREDENTIALS,
  StreamRecorder,
  s3rverClient,
  startDynamoEmulatorThread,
  startS3EmulatorThread,
} from '@feedwright/local-stack';
import { createRenderHandler } from '@feedwright/pipeline';
import { decideStoryWrite, topicKey } from '@feedwright/storage';
import { ISSUES_PREFIX } from '@feedwright/storage/schema';
import { median, whenProcessIdle } from './measure.ts';

const TOPICS = Array.from({ length: 10 }, (_, i) => ({ slug: `topic-${i}`, name: `Topic ${i}` }));
const TABLE = 'feedwright';
/**
 * Renders before timing starts at each size, after the fill has settled (see `whenProcessIdle`): they warm the
 * caches, and reads of a freshly filled LevelDB trigger compactions for a while (the process's CPU
 * time per render, `BENCH_VERBOSE=1`, came down after about ten renders at 500k), which would
 * otherwise be timed as render cost. One more per 50k stored.
 */
const warmUps = (size: number): number => 5 + Math.ceil(size / 50_000);
const SITE = 'feedwright-site';

function syntheticStory(n: number, publishedAt: Date, topicIndex = n % TOPICS.length): Story {
  const topic = TOPICS[topicIndex] ?? TOPICS[0];
  if (topic === undefined) throw new Error('no topics');
  const paragraph = `Paragraph of story ${n}, long enough to look like the running text of a real digest, with a few clauses, numbers (${n * 7}) and names.`;
  return {
    storyId: `bench-${n}`,
    position: 0,
    topic: topic.name,
    topicSlug: topic.slug,
    title: `Story number ${n} in ${topic.name}`,
    paragraphs: [paragraph, paragraph, paragraph],
    related: [`Related headline for ${n}`],
    imageCaption: null,
    publishedAt: publishedAt.toISOString().replace('.000Z', 'Z'),
  };
}

/** The item the store would write for a story of a digest, made by the store's own rules. */
function storyItem(story: Story) {
  const decision = decideStoryWrite(
    undefined,
    `digests/bench-${story.storyId}.txt`,
    '0000000000000001',
    story,
  );
  if (decision.kind !== 'write') throw new Error('a new story must be written');
  return decision.item;
}

/** How {@link renderScaling} fills and renders. */
export interface RenderScalingOptions {
  /**
   * Render the archive too (month documents and pages, topic page, sitemap). The stored stories are then
   * spread 20 a day (a month holds ~600), as a newsletter's back catalogue is, rather than a minute apart:
   * the archive's cost is its touched months', so what must stay flat is the cost as months are added.
   * @default false
   */
  readonly archive?: boolean;
}

/**
 * Render time of one topic (its three feeds, the all-stories feeds, the story page, index and
 * OPML) as the archive grows: the table is filled to each size with older stories spread over ten
 * topics, then a new story is written and its stream record rendered, `runs` times. The render
 * handler is the real one, against dynalite and s3rver over HTTP. Resolves the median time by size
 * (`stored_1k`, `stored_50k`…) and the median CPU time of the process, emulators included
 * (`cpu_stored_1k`…).
 */
export async function renderScaling(
  sizes: readonly number[],
  runs = 11,
  options: RenderScalingOptions = {},
): Promise<Record<string, number>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'feedwright-bench-render-'));
  // On threads of their own, as the local stack runs them: DynamoDB's and S3's work is not the function's.
  const s3Emulator = await startS3EmulatorThread({
    host: '127.0.0.1',
    port: 0,
    directory: path.join(dir, 's3'),
    buckets: [],
  });
  const dynamoEmulator = await startDynamoEmulatorThread({
    host: '127.0.0.1',
    port: 0,
    directory: path.join(dir, 'dynamo'),
  });
  const region = 'us-east-1';
  const credentials = S3RVER_CREDENTIALS;
  const s3 = s3rverClient(s3Emulator.endpoint, region);
  const dynamo = new DynamoDBClient({ endpoint: dynamoEmulator.endpoint, region, credentials });
  const fillClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamoEmulator.endpoint, region, credentials }),
  );
  const results: Record<string, number> = {};
  try {
    await createTable(dynamo, TABLE);
    await createBuckets(s3, [SITE]);
    const recorder = new StreamRecorder({ region });
    recorder.attach(dynamo);
    const docs = DynamoDBDocumentClient.from(dynamo);
    const render = createRenderHandler({
      s3,
      dynamo,
      tableName: TABLE,
      siteBucket: SITE,
      site: { baseUrl: 'https://feeds.example.com/' },
      logger: new Logger({ logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'bench', serviceName: 'bench', singleMetric: false }),
      archive: options.archive === true,
    });
    for (const topic of TOPICS) {
      await fillClient.send(
        new PutCommand({ TableName: TABLE, Item: { ...topicKey(topic.slug), kind: 'topic', ...topic } }),
      );
    }
    // Archive stories are older than every measured one: a day apart, going back from 2020.
    const archiveEnd = Date.UTC(2020, 0, 1);
    const spacingMs = options.archive === true ? 72 * 60_000 : 60_000;
    let filled = 0;
    let fresh = 0;
    // The new stories of the size measured last: taken out before the next size is measured, so that
    // their month holds as many at each size (the cost measured is the stored count's, not the month's).
    let measured: { pk: string; sk: string }[] = [];
    for (const size of [...sizes].sort((a, b) => a - b)) {
      for (const Key of measured) await fillClient.send(new DeleteCommand({ TableName: TABLE, Key }));
      measured = [];
      const fillStart = performance.now();
      await fill(fillClient, filled, size, (n) => {
        const story = syntheticStory(n, new Date(archiveEnd - n * spacingMs));
        // With the archive, every 20 stories (a day's) are one digest: its issue record, as ingest writes it.
        return options.archive === true && n % 20 === 0
          ? [storyItem(story), issueItem(n, story.publishedAt)]
          : [storyItem(story)];
      });
      const settled = await whenProcessIdle();
      if (process.env.BENCH_VERBOSE)
        process.stderr.write(
          `fill ${filled}…${size}: ${((performance.now() - fillStart) / 1000).toFixed(1)} s, ` +
            `then ${(settled / 1000).toFixed(1)} s for LevelDB to settle\n`,
        );
      filled = size;
      const samples: number[] = [];
      // The process's CPU time (emulators, render and their threads): what a loaded machine moves least.
      const cpuSamples: number[] = [];
      for (let run = 0; run < runs + warmUps(size); run++) {
        if (run === warmUps(size)) {
          // The warm-up stories go too: the month measured holds as many stories at every size.
          for (const Key of measured) await fillClient.send(new DeleteCommand({ TableName: TABLE, Key }));
          measured = [];
        }
        fresh++;
        const story = syntheticStory(1_000_000 + fresh, new Date(Date.UTC(2021, 0, 1) + run * 1000), 0);
        const item = storyItem(story);
        await docs.send(new PutCommand({ TableName: TABLE, Item: item }));
        measured.push({ pk: item.pk, sk: item.sk });
        const records = recorder.take();
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        const response = await render(
          { Records: records },
          createLambdaContext({ functionName: 'bench-render', region, accountId: '123456789012' }),
        );
        const elapsed = performance.now() - start;
        const cpu = process.cpuUsage(cpuStart);
        if (response.batchItemFailures.length > 0) throw new Error('render reported failures');
        if (run >= warmUps(size)) {
          samples.push(elapsed);
          cpuSamples.push((cpu.user + cpu.system) / 1000);
        }
      }
      if (process.env.BENCH_VERBOSE)
        process.stderr.write(
          `render ${size}: ${samples.map((x) => x.toFixed(0)).join(' ')} ms; ` +
            `CPU ${cpuSamples.map((x) => x.toFixed(0)).join(' ')} ms (median ${median(cpuSamples).toFixed(0)})\n`,
        );
      const label = `stored_${size >= 1000 ? `${size / 1000}k` : size}`;
      results[label] = median(samples);
      results[`cpu_${label}`] = median(cpuSamples);
    }
  } finally {
    s3.destroy();
    dynamo.destroy();
    fillClient.destroy();
    await s3Emulator.close();
    await dynamoEmulator.close();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

/**
 * The issue record of the digest holding stories `first`…`first + 19`, laid out as `TableIssueRegistry`
 * writes it (see `@feedwright/storage/schema`, "ISSUES#").
 */
function issueItem(first: number, publishedAt: string): Record<string, unknown> {
  const digestKey = `digests/bench-day-${first / 20}.txt`;
  return {
    pk: `${ISSUES_PREFIX}${publishedAt.slice(0, 7)}`,
    sk: `${publishedAt}#${digestKey}`,
    kind: 'issue',
    live: true,
    sequencer: '0000000000000001',
    digestKey,
    title: `Bench daily ${first / 20}`,
    summary: 'A day of synthetic stories.',
    date: publishedAt.slice(0, 10),
    publishedAt,
    storyIds: Array.from({ length: 20 }, (_, index) => `bench-${first + index}`),
    version: 1,
  };
}

/**
 * Writes the items of stories `from`…`to - 1` with BatchWriteItem, 25 items a request and 16 requests
 * at once, made as they are sent (500k stories would not fit in memory as one array).
 */
async function fill(
  client: DynamoDBDocumentClient,
  from: number,
  to: number,
  itemsOf: (n: number) => readonly object[],
): Promise<void> {
  let next = from;
  let carry: Record<string, unknown>[] = [];
  const take = (): Record<string, unknown>[] => {
    while (carry.length < 25 && next < to) carry.push(...(itemsOf(next++) as Record<string, unknown>[]));
    const batch = carry.slice(0, 25);
    carry = carry.slice(25);
    return batch;
  };
  const worker = async () => {
    for (let batch = take(); batch.length > 0; batch = take()) {
      let pending: Record<string, unknown>[] = batch;
      while (pending.length > 0) {
        const out = await client.send(
          new BatchWriteCommand({
            RequestItems: { [TABLE]: pending.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
        pending = (out.UnprocessedItems?.[TABLE] ?? []).flatMap((r) =>
          r.PutRequest?.Item ? [r.PutRequest.Item] : [],
        );
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}
