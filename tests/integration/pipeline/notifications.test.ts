import type { IngestReport } from '@feedwright/pipeline';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED, seedOn } from './digests.ts';
import { INCOMING, type Pipeline, startPipeline } from './harness.ts';

describe('Pipeline: report notifications', () => {
  let pipeline: Pipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('sends every written report once, rejections included, and no report for a duplicate event', async () => {
    // Prepare
    const sent: IngestReport[] = [];
    pipeline = await startPipeline({ notifier: { notify: async (report) => void sent.push(report) } });

    // Act
    const event = await pipeline.publish('digests/seed.txt', SEED);
    await pipeline.ingest(event);
    await pipeline.publish('digests/blank.txt', ' \n\n');

    // Assess
    expect(sent.map((report) => [report.key, report.status])).toEqual([
      ['digests/seed.txt', 'ok'],
      ['digests/blank.txt', 'rejected'],
    ]);
  });

  it('keeps the ingest done when the notification fails: the stories are live and the report written', async () => {
    // Prepare
    pipeline = await startPipeline({
      notifier: {
        notify: async () => {
          throw new Error('SNS is down');
        },
      },
    });

    // Act
    await pipeline.publish('digests/seed.txt', seedOn(3));

    // Assess
    const report = JSON.parse((await pipeline.read(INCOMING, 'reports/digests/seed.txt.json')) ?? '{}');
    expect(report.status).toBe('ok');
    expect([...(await pipeline.siteFiles()).keys()].some((path) => path.startsWith('stories/'))).toBe(true);
  });
});
