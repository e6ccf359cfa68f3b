import type { IngestReport } from '@feedwright/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED } from './digests.ts';
import { INCOMING, type Pipeline, SITE, startPipeline } from './harness.ts';

const PNG = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
]);
/** Small enough that the 8 KB seed is over it. */
const MAX_BYTES = 4 * 1024;

describe('Pipeline: uploads that are not digests', () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await startPipeline({ maxDigestBytes: MAX_BYTES });
  });

  afterAll(async () => {
    await pipeline.stop();
  });

  it.each([
    ['a blank file', 'digests/blank.txt', ' \r\n\u00a0\r\n\t\r\n', 'BLANK'],
    ['a binary file', 'digests/photo.txt', PNG, 'BINARY'],
    ['an oversized file', 'digests/huge.txt', SEED, 'TOO_LARGE'],
  ])(
    'rejects %s: the report says why, the object stays, no story is written',
    async (_what, key, body, code) => {
      // Prepare
      const event = await pipeline.upload(key, body);
      const reads = pipeline.digestReads();

      // Act
      await pipeline.ingest(event);
      const records = pipeline.recorder.take();
      await pipeline.render(records);

      // Assess
      const report = JSON.parse(
        (await pipeline.read(INCOMING, `reports/${key}.json`)) ?? '{}',
      ) as IngestReport;
      expect(report).toMatchObject({ status: 'rejected', key, code, stories: { total: 0 } });
      expect(report.reason).toMatch(/\w{3}/);
      expect(await pipeline.read(INCOMING, key)).toBe(
        typeof body === 'string' ? body : Buffer.from(body).toString(),
      );
      expect(records).toEqual([]);
      expect(await pipeline.tableItems()).toEqual([]);
      expect(await pipeline.siteFiles()).toEqual(new Map());
      if (code === 'TOO_LARGE') expect(pipeline.digestReads()).toBe(reads);
    },
  );

  it('refuses an oversized digest from the event size alone, before reading a byte of it', async () => {
    // Prepare
    const event = await pipeline.upload('digests/big.txt', SEED);
    const reads = pipeline.digestReads();

    // Act
    await pipeline.ingest(event);

    // Assess
    expect(pipeline.digestReads()).toBe(reads);
    const report = JSON.parse((await pipeline.read(INCOMING, 'reports/digests/big.txt.json')) ?? '{}');
    expect(report.reason).toMatch(/over the 4\.0 KiB limit/);
    expect(await pipeline.read(SITE, 'index.html')).toBeUndefined();
  });
});
