import { readFileSync } from 'node:fs';
import { type IngestReport, ingestDigestEvent } from '@feedwright/pipeline';
import { TableStoryStore } from '@feedwright/storage';
import { digestKeyProblem, type KeyLimits, reportKeyFor, S3_KEY_LIMITS } from '@feedwright/storage/schema';
import { MemoryDigestSource, MemoryItemTable } from '@feedwright/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestEventsIn } from './digest-events.ts';

const SEED = readFileSync(new URL('../../fixtures/digests/cx-daily-2020-12-01.txt', import.meta.url), 'utf8');
const BUCKET = 'feedwright-incoming';
/** A store that keeps each part of a key as a file name, as the local S3 does. */
const FILE_NAMES: KeyLimits = { maxKeyBytes: 1024, maxSegmentBytes: 233, store: 'the local S3' };

const events = digestEventsIn(BUCKET);

describe('Function: ingestDigestEvent, on keys no digest may have', () => {
  let source: MemoryDigestSource;
  let table: MemoryItemTable;
  let services: Parameters<typeof ingestDigestEvent>[1];
  const reportOn = (key: string, limits?: KeyLimits): IngestReport | undefined =>
    source.reports.get(`${BUCKET}/${reportKeyFor(key, limits)}`) as IngestReport | undefined;

  beforeEach(() => {
    source = new MemoryDigestSource();
    table = new MemoryItemTable();
    services = { source, stories: new TableStoryStore(table), now: () => new Date('2020-12-01T09:30:00Z') };
  });

  it('refuses a key with a `..` part with a report, applying nothing, and never touches the key it resolves to', async () => {
    // Prepare
    const real = 'digests/a b.txt';
    const dotted = 'digests/../digests/a b.txt';
    source.put(BUCKET, real, SEED);
    await ingestDigestEvent(events.created(real), services);
    const stored = table.all().length;
    source.put(BUCKET, dotted, SEED);

    // Act
    const upload = await ingestDigestEvent(events.created(dotted), services);
    const removal = await ingestDigestEvent(events.removed(dotted), services);

    // Assess
    expect(upload.report).toMatchObject({ status: 'rejected', code: 'BAD_KEY', key: dotted });
    expect(upload.report.reason).toContain("has a '..' part");
    expect(removal.report).toMatchObject({ status: 'rejected', code: 'BAD_KEY' });
    expect(reportOn(dotted)?.status).toBe('rejected');
    expect(reportOn(real)?.status).toBe('ok');
    expect(table.all()).toHaveLength(stored);
  });

  it('refuses a name too long for its report with a report it can write, under reports/long-names/', async () => {
    // Prepare: 230 bytes fit the store as a digest, but not as `<name>.json`.
    const key = `digests/${'a'.repeat(226)}.txt`;
    source.put(BUCKET, key, SEED);

    // Act
    const { report, persisted } = await ingestDigestEvent(events.created(key), {
      ...services,
      keyLimits: FILE_NAMES,
    });

    // Assess
    expect(persisted).toBe(true);
    expect(report).toMatchObject({ status: 'rejected', code: 'BAD_KEY', key });
    expect(report.reason).toContain('shorten the file name by at least 2 bytes');
    expect(reportKeyFor(key, FILE_NAMES)).toMatch(/^reports\/long-names\/[0-9a-f]{64}\.json$/);
    expect(reportOn(key, FILE_NAMES)?.status).toBe('rejected');
    expect(table.all()).toHaveLength(0);
  });
});

describe('Function: digestKeyProblem', () => {
  it('accepts plain keys, uploaded or mailed, dots inside names included', () => {
    for (const key of [
      'digests/cx daily.txt',
      'mail/20261202-e77f.eml',
      'digests/a..b.txt',
      'digests/.x.txt',
    ]) {
      expect(digestKeyProblem(key), key).toBeUndefined();
    }
  });

  it('refuses `.` and `..` parts anywhere in a key', () => {
    for (const key of ['digests/./a.txt', 'digests/..', '../a.txt', 'digests/x/../a.txt']) {
      expect(digestKeyProblem(key), key).toMatch(/has a '\.\.?' part/);
    }
  });

  it('refuses a key whose report key passes S3’s 1,024 bytes, counting UTF-8 bytes', () => {
    // `reports/digests/` + 2 bytes a letter + `.txt.json`: 25 + 2n bytes, so 499 letters fit and 500 do not.
    const fits = `digests/${'é'.repeat(499)}.txt`;
    const over = `digests/${'é'.repeat(500)}.txt`;

    expect(digestKeyProblem(fits, S3_KEY_LIMITS)).toBeUndefined();
    expect(digestKeyProblem(over, S3_KEY_LIMITS)).toContain("over S3's limit of 1024 bytes for a key");
    expect(reportKeyFor(fits)).toBe(`reports/${fits}.json`);
  });
});
