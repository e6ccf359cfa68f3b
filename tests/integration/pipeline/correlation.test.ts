import { afterEach, describe, expect, it } from 'vitest';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { seedOn } from './digests.ts';
import { fakeContext, type Pipeline, startPipeline } from './harness.ts';

describe('Pipeline: correlation ids of overlapping ingests', () => {
  let pipeline: Pipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('gives every line about a digest that digest’s key as correlation_id when one handler ingests several at once', async () => {
    // Prepare: one handler instance, as the local stack shares it between invocations, with the
    // Lambda context Powertools' middleware would add; each report's notification fails, after an await.
    const logger = new RecordingLogger({ serviceName: 'feedwright-ingest', logLevel: 'INFO' });
    logger.addContext(fakeContext('ingest'));
    pipeline = await startPipeline({
      ingestLogger: logger,
      notifier: {
        notify: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          throw new Error('SNS is down');
        },
      },
    });
    const keys = ['digests/cx-daily-12-02.txt', 'digests/cx-daily-12-03.txt', 'digests/blank.txt'];
    const events = await Promise.all([
      pipeline.upload('digests/cx-daily-12-02.txt', seedOn(2)),
      pipeline.upload('digests/cx-daily-12-03.txt', seedOn(3)),
      pipeline.upload('digests/blank.txt', ' \n\n'),
    ]);

    // Act: three invocations at once
    await Promise.all(events.map((event) => pipeline?.ingest(event)));

    // Assess
    const lines = logger.lines;
    let about = 0;
    for (const key of keys) {
      // The handler's own lines, and the service's (a rejection is logged by the ingest service).
      const expected = [
        'digest processed',
        'report notification failed',
        ...(key === 'digests/blank.txt' ? ['digest rejected'] : []),
      ];
      const own = lines.filter((line) => line.key === key);
      expect(own.map((line) => line.message).sort()).toEqual(expected.sort());
      about += own.length;
      for (const line of own) {
        expect(line).toMatchObject({
          correlation_id: key,
          function_name: 'ingest',
          service: 'feedwright-ingest',
        });
      }
    }
    // No other line: none carries another digest's key, or a key without being about that digest.
    expect(lines).toHaveLength(about);
    for (const line of lines) expect(line.correlation_id).toBe(line.key);
  });
});
