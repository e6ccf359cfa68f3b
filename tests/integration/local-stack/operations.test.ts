import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@feedwright/local-stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFeedwright } from '../../support/cli.ts';
import { digestText, eventually, useIsolatedStack } from './support.ts';

describe('Operations on the local stack: freshness and feedwright status', { timeout: 90_000 }, () => {
  let stack: LocalStack;
  let s3: S3Client;
  const lines: string[] = [];

  useIsolatedStack(
    'feedwright-operations-',
    (started) => {
      ({ stack, s3 } = started);
    },
    { stack: () => ({ log: (line: string) => lines.push(line) }) },
  );

  const readJson = async (key: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: stack.incomingBucket, Key: key }));
      return JSON.parse(await (object.Body?.transformToString() ?? '')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const upload = async (name: string, body: string) => {
    await s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: `digests/${name}`, Body: body }));
  };
  /** The live report of the upload whose ingest report is there now, once render wrote it. */
  const liveReportOf = (key: string) =>
    eventually(`the live report of ${key}`, async () => {
      const report = await readJson(`reports/${key}.json`);
      const live = await readJson(`reports/live/${key}.json`);
      return report !== undefined && live !== undefined && live.sequencer === report.sequencer
        ? { report, live }
        : undefined;
    });
  const status = (...args: string[]) => runFeedwright('status', '--s3-endpoint', stack.s3Endpoint, ...args);

  beforeAll(async () => {
    await upload('ops-1.txt', digestText({ date: 'Apr 01, 2021', title: 'Operations first story' }));
    await upload('ops-bad.txt', 'not a digest at all\n');
  });

  it('measures each digest from its S3 event to its last site object, in the log and next to its report', async () => {
    // Act
    const { report, live } = await liveReportOf('digests/ops-1.txt');

    // Assess
    expect(report.status).toBe('ok');
    expect(typeof live.eventAt).toBe('string');
    expect(typeof live.freshnessMs).toBe('number');
    expect(live.freshnessMs as number).toBeGreaterThanOrEqual(0);
    expect(Date.parse(live.liveAt as string) - Date.parse(live.eventAt as string)).toBe(live.freshnessMs);
    // The site has the story by then.
    const feed = await fetch(new URL('feeds/local-stack/feed.json', stack.siteUrl));
    expect(await feed.text()).toContain('Operations first story');
    // One line per digest in the stack's own log, with the same figure.
    expect(lines.filter((line) => line.startsWith('live: digests/ops-1.txt '))).toEqual([
      `live: digests/ops-1.txt in ${live.freshnessMs} ms (upload to last site object)`,
    ]);
  });

  it('measures a delete too: the time until its stories are gone from the site', async () => {
    // Prepare
    await upload('ops-2.txt', digestText({ date: 'Apr 02, 2021', title: 'Operations story to withdraw' }));
    const first = await liveReportOf('digests/ops-2.txt');

    // Act
    await s3.send(new DeleteObjectCommand({ Bucket: stack.incomingBucket, Key: 'digests/ops-2.txt' }));
    const { report, live } = await eventually('the delete to go live', async () => {
      const found = await liveReportOf('digests/ops-2.txt');
      return found.report.status === 'withdrawn' ? found : undefined;
    });

    // Assess
    expect(live.sequencer).not.toBe(first.live.sequencer);
    expect(report.stories).toMatchObject({ withdrawn: 1 });
    expect(typeof live.freshnessMs).toBe('number');
    const feed = await fetch(new URL('feeds/local-stack/feed.json', stack.siteUrl));
    expect(await feed.text()).not.toContain('Operations story to withdraw');
  });

  it('shows the last digests with outcome and freshness, and the last reconcile, on feedwright status', async () => {
    // Prepare
    await liveReportOf('digests/ops-1.txt');
    await eventually('the bad digest to be refused', () => readJson('reports/digests/ops-bad.txt.json'));
    await stack.whenIdle();

    // Act
    const run = await status();

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^ {2}\S+ {2}digests\/ops-1\.txt {2}published, 1 story; live \d+\.\d s after upload$/m,
    );
    expect(run.stdout).toMatch(/^ {2}\S+ {2}digests\/ops-bad\.txt {2}REJECTED: NO_DATE: /m);
    expect(run.stdout).toContain('Failure queues: none here (the local stack logs failed work instead).');
    // The stack reconciled at start, before any digest: it wrote the first site, which is no repair.
    expect(run.stdout).toMatch(
      /^Last reconcile: \S+, 0 digests, wrote the first site \([1-9]\d* objects: no digest yet\)$/m,
    );
    expect(run.stdout).not.toContain('REPAIRED');
  });

  it('finds the stack on its ports from its data folder alone (feedwright status --data-dir), the flags winning', async () => {
    // Prepare: the stack listens on free ports, none of them the defaults.
    await liveReportOf('digests/ops-1.txt');
    expect(new URL(stack.s3Endpoint).port).not.toBe('4569');

    // Act
    const found = await runFeedwright('status', '--data-dir', stack.dataDir);
    const overridden = await runFeedwright(
      ...['status', '--data-dir', stack.dataDir, '--s3-endpoint', 'http://127.0.0.1:9'],
    );

    // Assess
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);
    expect(found.stdout).toMatch(
      /^ {2}\S+ {2}digests\/ops-1\.txt {2}published, 1 story; live \d+\.\d s after upload$/m,
    );
    expect(overridden.code).toBe(3);
    expect(overridden.stderr).toContain('could not read the local stack at http://127.0.0.1:9 ');
  });

  it('prints the same status as JSON, and names the stack it could not reach', async () => {
    // Act
    const json = await status('--json', '--limit', '1');
    const unreachable = await runFeedwright('status', '--s3-endpoint', 'http://127.0.0.1:9');

    // Assess
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { digests: Array<{ key: string }>; reconcile: unknown };
    expect(parsed.digests).toHaveLength(1);
    expect(parsed.reconcile).toMatchObject({
      digests: 0,
      counts: { reapplied: 0, withdrawn: 0, deleted: 0 },
    });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(
      /^feedwright status: could not read the local stack at http:\/\/127\.0\.0\.1:9 \(is 'feedwright dev' running\?/,
    );
  });
});
