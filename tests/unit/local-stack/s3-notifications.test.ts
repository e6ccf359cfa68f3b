import { createSequencer, isIngestedObject, toS3EventRecord } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';

const source = {
  region: 'us-east-1',
  configurationId: 'feedwright-ingest',
  sequencer: () => '0000000000000000A1',
  now: () => new Date('2026-11-27T10:00:00.000Z'),
};

describe('Function: toS3EventRecord', () => {
  it('builds a created record with the encoded key, size, eTag and bucket ARN', () => {
    // Act
    const record = toS3EventRecord(
      {
        bucket: 'feedwright-incoming',
        key: 'digests/a b.txt',
        eventName: 'ObjectCreated:Put',
        size: 42,
        eTag: 'e1',
      },
      source,
    );

    // Assess
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-11-27T10:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'feedwright-ingest',
        bucket: { name: 'feedwright-incoming', arn: 'arn:aws:s3:::feedwright-incoming' },
        object: { key: 'digests/a+b.txt', size: 42, eTag: 'e1', sequencer: '0000000000000000A1' },
      },
    });
  });

  it('leaves size and eTag out of a removed record, as S3 does', () => {
    // Act
    const record = toS3EventRecord(
      { bucket: 'feedwright-incoming', key: 'digests/x.txt', eventName: 'ObjectRemoved:Delete' },
      source,
    );

    // Assess
    expect(Object.keys(record.s3.object).sort()).toEqual(['key', 'sequencer']);
  });
});

describe('Function: createSequencer', () => {
  it('issues fixed-width hex that grows even within one millisecond', () => {
    // Prepare
    const next = createSequencer(() => 1_800_000_000_000);

    // Act
    const issued = [next(), next(), next()];

    // Assess
    expect(issued.every((value) => /^[0-9A-F]{18}$/.test(value))).toBe(true);
    expect([...issued].sort()).toEqual(issued);
    expect(new Set(issued).size).toBe(3);
  });

  it('starts from the clock, so a restarted stack issues larger sequencers than before', () => {
    // Prepare
    const previousRun = createSequencer(() => 1_800_000_000_000);
    const afterRestart = createSequencer(() => 1_800_000_000_001);
    const earlier = [previousRun(), previousRun(), previousRun()];

    // Act
    const later = afterRestart();

    // Assess
    expect(earlier.every((value) => value < later)).toBe(true);
  });
});

describe('Function: isIngestedObject', () => {
  it('passes digests/ keys of the incoming bucket only', () => {
    // Prepare
    const change = (bucket: string, key: string) => ({ bucket, key, eventName: 'ObjectCreated:Put' });

    // Act
    const results = [
      isIngestedObject(change('feedwright-incoming', 'digests/a.txt'), 'feedwright-incoming'),
      isIngestedObject(change('feedwright-incoming', 'reports/digests/a.txt.json'), 'feedwright-incoming'),
      isIngestedObject(change('feedwright-site', 'digests/a.txt'), 'feedwright-incoming'),
    ];

    // Assess
    expect(results).toEqual([true, false, false]);
  });
});
