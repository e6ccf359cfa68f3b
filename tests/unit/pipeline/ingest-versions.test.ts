import { type DigestEvent, type IngestReport, ingestDigestEvent } from '@feedwright/pipeline';
import { TableStoryStore } from '@feedwright/storage';
import { MemoryDigestSource, MemoryItemTable } from '@feedwright/testing';
import { beforeEach, describe, expect, it } from 'vitest';

const BUCKET = 'feedwright-incoming';
const KEY = 'digests/daily.txt';
const REPORT = `${BUCKET}/reports/${KEY}.json`;

/** A small digest whose one story's body is `body`. */
function digestText(body: string): string {
  return `Dec 01, 2020 09:19 AM\n\nA digest\n\nA summary.\n\nLaw /\n\nA court rules on data\n\n${body}\n`;
}
const STORY_ID = '2020-12-01-law-a-court-rules-on-data';

let sequencer = 0x0055aed6dcd9028000n;
function event(kind: DigestEvent['kind'], versionId?: string, eventName?: string): DigestEvent {
  sequencer += 16n;
  return {
    kind,
    bucket: BUCKET,
    key: KEY,
    sequencer: sequencer.toString(16).toUpperCase(),
    eventName: eventName ?? (kind === 'created' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete'),
    ...(versionId === undefined ? {} : { versionId }),
  };
}

describe('Function: ingestDigestEvent on a versioned bucket', () => {
  let source: MemoryDigestSource;
  let store: TableStoryStore;
  let services: Parameters<typeof ingestDigestEvent>[1];
  const shownBody = async (): Promise<string | undefined> => (await store.getStory(STORY_ID))?.paragraphs[0];

  beforeEach(() => {
    source = new MemoryDigestSource();
    store = new TableStoryStore(new MemoryItemTable());
    services = { source, stories: store, now: () => new Date('2020-12-01T09:30:00Z') };
  });

  it('reads the exact version a created event names, not the latest object', async () => {
    // Prepare
    const first = source.put(BUCKET, KEY, digestText('First text.'));
    source.put(BUCKET, KEY, digestText('Second text.'));

    // Act
    await ingestDigestEvent(event('created', first), services);

    // Assess
    expect(await shownBody()).toBe('First text.');
  });

  it('brings a digest back when its delete marker is deleted (an undelete)', async () => {
    // Prepare
    const version = source.put(BUCKET, KEY, digestText('Kept text.'));
    await ingestDigestEvent(event('created', version), services);
    const marker = source.delete(BUCKET, KEY);
    await ingestDigestEvent(event('removed', marker, 'ObjectRemoved:DeleteMarkerCreated'), services);
    expect(await shownBody()).toBeUndefined();

    // Act
    source.deleteVersion(BUCKET, KEY, marker);
    const result = await ingestDigestEvent(event('removed', marker), services);

    // Assess
    expect(result.report.status).toBe('ok');
    expect(await shownBody()).toBe('Kept text.');
  });

  it('rolls back to the previous version when the bad current version is deleted by id', async () => {
    // Prepare
    const good = source.put(BUCKET, KEY, digestText('Good text.'));
    await ingestDigestEvent(event('created', good), services);
    const bad = source.put(BUCKET, KEY, digestText('Bad text.'));
    await ingestDigestEvent(event('created', bad), services);

    // Act
    source.deleteVersion(BUCKET, KEY, bad);
    await ingestDigestEvent(event('removed', bad), services);

    // Assess
    expect(await shownBody()).toBe('Good text.');
  });

  it('keeps the live digest when an old noncurrent version is cleaned up', async () => {
    // Prepare
    const old = source.put(BUCKET, KEY, digestText('Old text.'));
    await ingestDigestEvent(event('created', old), services);
    const live = source.put(BUCKET, KEY, digestText('Live text.'));
    await ingestDigestEvent(event('created', live), services);

    // Act
    source.deleteVersion(BUCKET, KEY, old);
    const result = await ingestDigestEvent(event('removed', old), services);

    // Assess
    expect(result.report).toMatchObject({ status: 'ok', stories: { unchanged: 1 } });
    expect(await shownBody()).toBe('Live text.');
  });

  it('withdraws the digest when the key has no current object', async () => {
    // Prepare
    const version = source.put(BUCKET, KEY, digestText('Text.'));
    await ingestDigestEvent(event('created', version), services);

    // Act
    const marker = source.delete(BUCKET, KEY);
    const result = await ingestDigestEvent(
      event('removed', marker, 'ObjectRemoved:DeleteMarkerCreated'),
      services,
    );

    // Assess
    expect(result.report.status).toBe('withdrawn');
    expect(await shownBody()).toBeUndefined();
  });
});

describe('Function: ingestDigestEvent, the report of a retried event', () => {
  it('writes the report when the first delivery failed to write it after committing', async () => {
    // Prepare
    const source = new MemoryDigestSource();
    const services = { source, stories: new TableStoryStore(new MemoryItemTable()) };
    const version = source.put(BUCKET, KEY, digestText('Text.'));
    const upload = event('created', version);
    source.failReportPuts = 1;
    await expect(ingestDigestEvent(upload, services)).rejects.toThrow(/report could not be written/);
    expect(source.reports.size).toBe(0);

    // Act
    const retry = await ingestDigestEvent(upload, services);

    // Assess
    expect(retry.persisted).toBe(true);
    expect(source.reports.get(REPORT) as IngestReport).toMatchObject({
      status: 'ok',
      stories: { total: 1, added: 1 },
      digest: { title: 'A digest' },
    });
  });

  it('leaves an existing report alone on a duplicate delivery', async () => {
    // Prepare
    const source = new MemoryDigestSource();
    const services = { source, stories: new TableStoryStore(new MemoryItemTable()) };
    const upload = event('created', source.put(BUCKET, KEY, digestText('Text.')));
    await ingestDigestEvent(upload, services);

    // Act
    const duplicate = await ingestDigestEvent(upload, services);

    // Assess
    expect(duplicate).toMatchObject({ persisted: false, report: { status: 'skipped' } });
  });
});
