import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReconcileReport } from '@feedwright/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../packages/cli/src/command.ts';
import { parseStatusArguments } from '../../../packages/cli/src/commands/status.ts';
import {
  readStackOutputs,
  StackOutputsError,
  sqsQueueGauge,
} from '../../../packages/cli/src/status/ports.ts';
import {
  collectStatus,
  formatStatus,
  type ListedReport,
  type ReportReader,
} from '../../../packages/cli/src/status/status.ts';

/** An incoming bucket's reports in memory: key → [JSON, last modified]. */
function reportsOf(objects: Record<string, [unknown, string]>): ReportReader {
  return {
    list: async (prefix): Promise<ListedReport[]> =>
      Object.entries(objects)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, [, at]]) => ({ key, lastModified: new Date(at) })),
    readJson: async (key) => objects[key]?.[0],
  };
}

const STORIES = { total: 3, added: 3, updated: 0, withdrawn: 0, unchanged: 0 };

function ingestReport(key: string, sequencer: string, extra: Record<string, unknown> = {}): unknown {
  return {
    status: 'ok',
    key,
    sequencer,
    stories: STORIES,
    warnings: [],
    processedAt: '2026-01-02T10:00:01.000Z',
    ...extra,
  };
}

const RECONCILE: ReconcileReport = {
  startedAt: '2026-01-02T03:00:00.000Z',
  finishedAt: '2026-01-02T03:00:02.000Z',
  digests: 4,
  unchanged: 120,
  counts: { reapplied: 1, withdrawn: 0, written: 7, deleted: 0 },
  reapplied: ['digests/lost.txt'],
  withdrawn: [],
  written: ['index.html', 'feeds/all/rss.xml', 'feeds/all/atom.xml', 'feeds/all/feed.json', 'a', 'b', 'c'],
  deleted: [],
};

describe('Function: collectStatus', () => {
  it('lists the newest digests first with their outcome and the freshness of the same upload', async () => {
    // Prepare
    const reports = reportsOf({
      'reports/digests/a.txt.json': [ingestReport('digests/a.txt', '0A'), '2026-01-02T10:00:01Z'],
      'reports/live/digests/a.txt.json': [
        { key: 'digests/a.txt', sequencer: '0A', freshnessMs: 1800, liveAt: '2026-01-02T10:00:02Z' },
        '2026-01-02T10:00:02Z',
      ],
      // Re-uploaded: the live report is of the previous upload.
      'reports/digests/b.txt.json': [ingestReport('digests/b.txt', '0C'), '2026-01-02T11:00:00Z'],
      'reports/live/digests/b.txt.json': [
        { key: 'digests/b.txt', sequencer: '0B', freshnessMs: 900 },
        '2026-01-02T10:30:00Z',
      ],
      'reports/digests/bad.txt.json': [
        ingestReport('digests/bad.txt', '0D', {
          status: 'rejected',
          code: 'NO_DATE',
          reason: 'the first line is not a date',
          stories: { ...STORIES, total: 0, added: 0 },
        }),
        '2026-01-02T09:00:00Z',
      ],
      'reports/reconcile/latest.json': [RECONCILE, '2026-01-02T03:00:02Z'],
    });

    // Act
    const status = await collectStatus({ reports });

    // Assess
    expect(status.digests).toEqual([
      {
        key: 'digests/b.txt',
        status: 'ok',
        processedAt: '2026-01-02T10:00:01.000Z',
        stories: 3,
        live: 'pending',
      },
      {
        key: 'digests/a.txt',
        status: 'ok',
        processedAt: '2026-01-02T10:00:01.000Z',
        stories: 3,
        live: 'live',
        freshnessMs: 1800,
      },
      {
        key: 'digests/bad.txt',
        status: 'rejected',
        processedAt: '2026-01-02T10:00:01.000Z',
        reason: 'NO_DATE: the first line is not a date',
        live: 'none',
      },
    ]);
    expect(status.reconcile).toEqual(RECONCILE);
    expect(status.queues).toBeUndefined();
  });

  it('counts an upload live once a reconcile that started after ingest processed it, or re-applied it, has run, though render never said so', async () => {
    // Prepare: the stream records of all three were lost (a hard stop of the local stack); reconcile
    // ran from 03:00:00 to 03:00:02 and re-applied `lost.txt` itself.
    const reports = reportsOf({
      'reports/digests/lost.txt.json': [
        ingestReport('digests/lost.txt', '0D', { processedAt: '2026-01-02T03:00:01.500Z' }),
        '2026-01-02T03:00:01.5Z',
      ],
      'reports/digests/before.txt.json': [
        ingestReport('digests/before.txt', '0E', { processedAt: '2026-01-02T02:59:59.000Z' }),
        '2026-01-02T02:59:59Z',
      ],
      'reports/digests/during.txt.json': [
        ingestReport('digests/during.txt', '0F', { processedAt: '2026-01-02T03:00:01.000Z' }),
        '2026-01-02T03:00:01Z',
      ],
      'reports/reconcile/latest.json': [RECONCILE, '2026-01-02T03:00:02Z'],
    });

    // Act
    const status = await collectStatus({ reports });

    // Assess
    expect(status.digests.map(({ key, live, reconciledAt }) => ({ key, live, reconciledAt }))).toEqual([
      { key: 'digests/lost.txt', live: 'reconciled', reconciledAt: '2026-01-02T03:00:02.000Z' },
      { key: 'digests/during.txt', live: 'pending', reconciledAt: undefined },
      { key: 'digests/before.txt', live: 'reconciled', reconciledAt: '2026-01-02T03:00:02.000Z' },
    ]);
    expect(formatStatus(status).slice(2, 4)).toEqual([
      '  2026-01-02T03:00:01.000Z  digests/during.txt  published, 3 stories; NOT LIVE YET',
      '  2026-01-02T02:59:59.000Z  digests/before.txt  published, 3 stories; live (by the reconcile that finished 2026-01-02T03:00:02.000Z)',
    ]);
  });

  it('shows at most the limit, and no reconcile before one has run', async () => {
    // Prepare
    const objects: Record<string, [unknown, string]> = {};
    for (let day = 10; day < 25; day++) {
      objects[`reports/digests/d${day}.txt.json`] = [
        ingestReport(`digests/d${day}.txt`, `${day}`),
        `2026-01-${day}T08:00:00Z`,
      ];
    }

    // Act
    const status = await collectStatus({ reports: reportsOf(objects), limit: 3 });

    // Assess
    expect(status.digests.map((digest) => digest.key)).toEqual([
      'digests/d24.txt',
      'digests/d23.txt',
      'digests/d22.txt',
    ]);
    expect(status.reconcile).toBeNull();
    expect(formatStatus(status)).toContain('Last reconcile: none reported yet.');
  });

  it('reads the depth of every watched queue', async () => {
    // Prepare
    const depths: Record<string, number> = { 'https://q/ingest': 0, 'https://q/render': 2 };

    // Act
    const status = await collectStatus({
      reports: reportsOf({}),
      queues: {
        watched: [
          { name: 'ingest failures', url: 'https://q/ingest' },
          { name: 'render failures', url: 'https://q/render' },
        ],
        gauge: { depth: async (url) => ({ visible: depths[url] ?? -1, inFlight: 0 }) },
      },
    });

    // Assess
    expect(status.queues).toEqual([
      { name: 'ingest failures', url: 'https://q/ingest', visible: 0, inFlight: 0 },
      { name: 'render failures', url: 'https://q/render', visible: 2, inFlight: 0 },
    ]);
    expect(formatStatus(status)).toEqual(
      expect.arrayContaining([
        '  ingest failures: empty',
        '  render failures: 2 waiting (run feedwright redrive)',
      ]),
    );
  });
});

describe('Function: formatStatus', () => {
  it('names what the last reconcile repaired', () => {
    const lines = formatStatus({ digests: [], reconcile: RECONCILE });
    expect(lines).toEqual([
      'Digests: none reported yet.',
      'Failure queues: none here (the local stack logs failed work instead).',
      'Last reconcile: 2026-01-02T03:00:02.000Z, 4 digests, REPAIRED 8:',
      '  digests re-applied: 1 (digests/lost.txt)',
      '  digests withdrawn: 0',
      '  site objects written: 7 (index.html, feeds/all/rss.xml, feeds/all/atom.xml, feeds/all/feed.json, a, … 2 more)',
      '  site objects deleted: 0',
    ]);
  });

  it("says a new stack's first site was written, not repaired", () => {
    const lines = formatStatus({
      digests: [],
      reconcile: {
        ...RECONCILE,
        digests: 0,
        counts: { reapplied: 0, withdrawn: 0, written: 13, deleted: 0 },
        reapplied: [],
        written: ['index.html', 'feeds.opml'],
        firstSite: true,
      },
    });
    expect(lines.at(-1)).toBe(
      'Last reconcile: 2026-01-02T03:00:02.000Z, 0 digests, wrote the first site (13 objects: no digest yet)',
    );
    expect(lines.join('\n')).not.toContain('REPAIRED');
  });

  it('shows a key or reason with terminal control characters escaped, never interpreted', () => {
    const [, line] = formatStatus({
      digests: [
        {
          key: 'digests/\u001b[2Jevil.txt',
          status: 'rejected',
          reason: 'BINARY: \u001b]0;owned\u0007',
          live: 'none',
        },
      ],
      reconcile: null,
    });
    expect([...(line ?? '')].some((char) => (char.codePointAt(0) ?? 0) < 0x20)).toBe(false);
    expect(line).toContain('digests/\\u001b[2Jevil.txt');
    expect(line).toContain('REJECTED: BINARY: \\u001b]0;owned\\u0007');
  });
});

describe('Function: readStackOutputs', () => {
  const client = (outputs: Record<string, string> | Error) => ({
    send: async (command: { input: unknown }) => {
      expect(command.input).toEqual({ StackName: 'Feedwright' });
      if (outputs instanceof Error) throw outputs;
      return {
        Stacks: [
          {
            Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
          },
        ],
      };
    },
  });

  it('reads the incoming bucket and both failure queues from the stack outputs', async () => {
    // Act
    const outputs = await readStackOutputs(
      client({
        IncomingBucketName: 'feedwright-incoming-1',
        IngestFailureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/ingest',
        RenderFailureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/render',
        SiteUrl: 'https://d1.cloudfront.net/',
      }) as never,
      'Feedwright',
    );

    // Assess
    expect(outputs).toEqual({
      incomingBucket: 'feedwright-incoming-1',
      ingestFailureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/ingest',
      renderFailureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/render',
    });
  });

  it('says which output is missing, and what to do when there is no such stack', async () => {
    await expect(
      readStackOutputs(client({ IncomingBucketName: 'b' }) as never, 'Feedwright'),
    ).rejects.toThrow(
      new StackOutputsError(
        'stack Feedwright has no output IngestFailureQueueUrl: is it a feedwright stack, and is its deploy finished?',
      ),
    );
    const missing = Object.assign(new Error('Stack with id Feedwright does not exist'), {
      name: 'ValidationError',
    });
    await expect(readStackOutputs(client(missing) as never, 'Feedwright')).rejects.toThrow(
      /no stack named Feedwright in this account and region: deploy it \(npx cdk deploy\), or pass --stack-name and --region/,
    );
  });
});

describe('Function: sqsQueueGauge', () => {
  it("reads SQS's approximate visible and in-flight counts", async () => {
    // Prepare
    const gauge = sqsQueueGauge({
      send: async (command: { input: unknown }) => {
        expect(command.input).toEqual({
          QueueUrl: 'https://q/ingest',
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        });
        return {
          Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '1' },
        };
      },
    } as never);

    // Act & Assess
    expect(await gauge.depth('https://q/ingest')).toEqual({ visible: 3, inFlight: 1 });
  });
});

describe('Function: parseStatusArguments', () => {
  // A data folder with no stack recorded in it: the defaults, whatever runs in the working folder.
  let empty: string;
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'feedwright-status-args-'));
  });
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
  });

  it('reads the local stack by default and a deployed stack with --aws', async () => {
    expect(await parseStatusArguments(['--data-dir', empty])).toEqual({
      target: 'local',
      s3Endpoint: 'http://127.0.0.1:4569',
      incomingBucket: 'feedwright-incoming',
      limit: 10,
      json: false,
    });
    expect(await parseStatusArguments(['--aws', '--region', 'eu-west-1', '--limit', '3', '--json'])).toEqual({
      target: 'aws',
      stackName: 'Feedwright',
      region: 'eu-west-1',
      limit: 3,
      json: true,
    });
  });

  it('reads the endpoints of the dev running on --data-dir, and lets the flags win over them', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'feedwright-status-dev-'));
    const endpoints = { siteUrl: 'http://127.0.0.1:18001/', s3Endpoint: 'http://127.0.0.1:18002' };
    await writeFile(join(dataDir, 'endpoints.json'), JSON.stringify({ ...endpoints, incomingBucket: 'in' }));

    try {
      // Act & Assess
      expect(await parseStatusArguments(['--data-dir', dataDir])).toMatchObject({
        target: 'local',
        s3Endpoint: 'http://127.0.0.1:18002',
        incomingBucket: 'in',
      });
      expect(
        await parseStatusArguments([
          ...['--data-dir', dataDir, '--s3-endpoint', 'http://127.0.0.1:18003'],
          ...['--incoming-bucket', 'other'],
        ]),
      ).toMatchObject({ s3Endpoint: 'http://127.0.0.1:18003', incomingBucket: 'other' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses flags that do not go together, a limit that is not a count, and an endpoints file it cannot read', async () => {
    // Prepare
    const damaged = await mkdtemp(join(tmpdir(), 'feedwright-status-damaged-'));
    await writeFile(join(damaged, 'endpoints.json'), '{"half":');

    try {
      // Act & Assess
      await expect(parseStatusArguments(['--stack-name', 'X'])).rejects.toThrow(UsageError);
      await expect(parseStatusArguments(['--aws', '--s3-endpoint', 'http://127.0.0.1:1'])).rejects.toThrow(
        UsageError,
      );
      await expect(parseStatusArguments(['--aws', '--data-dir', empty])).rejects.toThrow(
        /--data-dir, --s3-endpoint and --incoming-bucket are for the local stack/,
      );
      await expect(parseStatusArguments(['--limit', '0', '--data-dir', empty])).rejects.toThrow(
        /--limit must be a whole number/,
      );
      const refused = parseStatusArguments(['--data-dir', damaged]);
      await expect(refused).rejects.toThrow(UsageError);
      await expect(refused).rejects.toThrow(`${join(damaged, 'endpoints.json')}: not the endpoints`);
    } finally {
      await rm(damaged, { recursive: true, force: true });
    }
  });
});
