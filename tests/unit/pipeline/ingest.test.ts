import { readFileSync } from 'node:fs';
import type { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { parseAllowedSenders } from '@feedwright/mail';
import {
  type DigestEvent,
  type IngestReport,
  ingestDigestEvent,
  SnsReportNotifier,
} from '@feedwright/pipeline';
import { isLive, type StoryItem, TableIssueRegistry, TableStoryStore } from '@feedwright/storage';
import { KEY_PREFIX } from '@feedwright/storage/schema';
import { MemoryDigestSource, MemoryItemTable } from '@feedwright/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestEventsIn } from './digest-events.ts';

const SEED = readFileSync(new URL('../../fixtures/digests/cx-daily-2020-12-01.txt', import.meta.url), 'utf8');
const BUCKET = 'feedwright-incoming';
const KEY = 'digests/cx daily.txt';
const REPORT = `${BUCKET}/reports/${KEY}.json`;
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

const events = digestEventsIn(BUCKET);
const created = (key = KEY, size?: number): DigestEvent => events.created(key, size);
const removed = (key = KEY): DigestEvent => events.removed(key);

describe('Function: ingestDigestEvent', () => {
  let source: MemoryDigestSource;
  let table: MemoryItemTable;
  let services: Parameters<typeof ingestDigestEvent>[1];
  const liveStories = (): string[] =>
    (table.all().filter((item) => item.pk.startsWith(KEY_PREFIX.story)) as unknown as StoryItem[])
      .filter((item) => isLive(item))
      .map((item) => item.storyId);
  const report = (): IngestReport | undefined => source.reports.get(REPORT) as IngestReport | undefined;

  beforeEach(() => {
    source = new MemoryDigestSource();
    table = new MemoryItemTable();
    services = {
      source,
      stories: new TableStoryStore(table),
      maxDigestBytes: 64 * 1024,
      now: () => new Date('2020-12-01T09:30:00Z'),
    };
  });

  it('stores the stories of a good digest and writes an ok report next to it', async () => {
    // Prepare
    source.put(BUCKET, KEY, SEED);

    // Act
    const result = await ingestDigestEvent(created(KEY, Buffer.byteLength(SEED)), services);

    // Assess
    expect(result.persisted).toBe(true);
    expect(report()).toEqual({
      status: 'ok',
      key: KEY,
      sequencer: expect.any(String),
      stories: { total: 15, added: 15, updated: 0, withdrawn: 0, unchanged: 0 },
      warnings: [],
      digest: {
        title: 'CX Daily: The Fight Over China’s Law to Protect Personal Data',
        date: '2020-12-01',
        publishedAt: '2020-12-01T09:19:00Z',
      },
      processedAt: '2020-12-01T09:30:00.000Z',
    });
    expect(liveStories()).toHaveLength(15);
  });

  it('names the upload it reports on by ETag and version, so an editor can tell it from an older report', async () => {
    // Prepare
    const versionId = source.put(BUCKET, KEY, SEED);
    const event = { ...created(KEY), eTag: 'abc123', versionId };

    // Act
    await ingestDigestEvent(event, services);

    // Assess
    expect(report()).toMatchObject({
      status: 'ok',
      eTag: 'abc123',
      versionId,
      sequencer: event.sequencer,
    });
    expect(await services.stories.digestStoryIds(KEY)).toHaveLength(15);
  });

  it('forgets the digest’s story ids once it is withdrawn', async () => {
    // Prepare
    source.put(BUCKET, KEY, SEED);
    await ingestDigestEvent(created(KEY), services);
    source.delete(BUCKET, KEY);

    // Act
    await ingestDigestEvent(removed(KEY), services);

    // Assess
    expect(await services.stories.digestStoryIds(KEY)).toEqual([]);
    expect(await services.stories.digestStoryIds('digests/never.txt')).toEqual([]);
  });

  it('records the digest’s issue under its month, and withdraws it when the digest is deleted', async () => {
    // Prepare
    const issues = new TableIssueRegistry(table);
    const withIssues = { ...services, issues };
    source.put(BUCKET, KEY, SEED);

    // Act
    await ingestDigestEvent(created(KEY), withIssues);
    const recorded = await issues.issuesOfMonth('2020-12');
    source.delete(BUCKET, KEY);
    await ingestDigestEvent(removed(KEY), withIssues);

    // Assess
    expect(recorded).toEqual([
      {
        digestKey: KEY,
        title: 'CX Daily: The Fight Over China’s Law to Protect Personal Data',
        summary: expect.any(String),
        date: '2020-12-01',
        publishedAt: '2020-12-01T09:19:00Z',
        storyIds: expect.any(Array),
      },
    ]);
    expect(recorded[0]?.storyIds).toHaveLength(15);
    expect(await issues.issuesOfMonth('2020-12')).toEqual([]);
  });

  it('records no issue for a rejected digest', async () => {
    // Prepare
    const issues = new TableIssueRegistry(table);
    source.put(BUCKET, KEY, 'Hello\n\nPersonal data /\nA story\n');

    // Act
    await ingestDigestEvent(created(KEY), { ...services, issues });

    // Assess
    expect(report()?.status).toBe('rejected');
    expect(await issues.issuesOfMonth('2020-12')).toEqual([]);
    expect(table.all()).toEqual([]);
  });

  it.each([
    ['a blank file', ' \n\u00a0\n\t\n', 'BLANK'],
    ['an empty file', '', 'EMPTY'],
    ['a PNG image', PNG, 'BINARY'],
    ['text without a date line', 'Hello\n\nPersonal data /\nA story\n', 'NO_DATE'],
  ])(
    'rejects %s with a report saying why, writes no story and leaves the object',
    async (_what, body, code) => {
      // Prepare
      source.put(BUCKET, KEY, body);

      // Act
      const result = await ingestDigestEvent(created(), services);

      // Assess
      expect(result.report).toMatchObject({ status: 'rejected', code, stories: { total: 0 } });
      expect(report()?.reason).toMatch(/\w/);
      expect(table.all()).toEqual([]);
      expect(await source.headSize(BUCKET, KEY)).toBeDefined();
    },
  );

  it('stores a digest whose topics and titles are in Chinese (Unicode topic slugs)', async () => {
    // Prepare
    const cjk = readFileSync(
      new URL('../../fixtures/digests/cx-daily-2021-09-10-cjk-cr.txt', import.meta.url),
    );
    source.put(BUCKET, KEY, cjk);

    // Act
    const result = await ingestDigestEvent(created(KEY, cjk.byteLength), services);

    // Assess
    expect(result.report).toMatchObject({ status: 'ok' });
    const topics = (
      table.all().filter((item) => item.pk.startsWith(KEY_PREFIX.story)) as unknown as StoryItem[]
    ).map((item) => item.story?.topicSlug);
    expect(topics).toContain('汽车');
  });

  it('rejects a digest with more stories than one manifest item can list, writing nothing', async () => {
    // Prepare: 1001 quick hits, each a story of its own
    const hits = Array.from({ length: 1001 }, (_, i) => `Quick hit number ${i}`).join('\n');
    source.put(BUCKET, KEY, `Dec 01, 2020 09:19 AM\n\nA digest\n\nA summary.\n\nQuick hits /\n\n${hits}\n`);

    // Act
    const result = await ingestDigestEvent(created(), services);

    // Assess
    expect(result.report).toMatchObject({ status: 'rejected', code: 'TOO_MANY_STORIES' });
    expect(result.report.reason).toMatch(/1001 stories/);
    expect(table.all()).toEqual([]);
  });

  it('refuses a digest over the size limit from the event size, before reading it', async () => {
    // Prepare
    source.put(BUCKET, KEY, SEED);

    // Act
    const result = await ingestDigestEvent(created(KEY, 6 * 1024 * 1024), services);

    // Assess
    expect(result.report).toMatchObject({ status: 'rejected', code: 'TOO_LARGE' });
    expect(result.report.reason).toMatch(/6\.0 MiB/);
    expect(source.reads).toBe(0);
    expect(table.all()).toEqual([]);
  });

  it('asks the bucket for the size when the event has none', async () => {
    // Prepare
    source.put(BUCKET, KEY, 'x'.repeat(70 * 1024));

    // Act
    const result = await ingestDigestEvent(created(), services);

    // Assess
    expect(result.report).toMatchObject({ status: 'rejected', code: 'TOO_LARGE' });
    expect(source.reads).toBe(0);
  });

  it('skips a duplicate delivery without touching the live report', async () => {
    // Prepare
    source.put(BUCKET, KEY, SEED);
    const event = created();
    await ingestDigestEvent(event, services);
    const first = report();
    const before = table.all();

    // Act
    const again = await ingestDigestEvent(event, services);

    // Assess
    expect(again.persisted).toBe(false);
    expect(again.report).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/duplicate/) });
    expect(report()).toEqual(first);
    expect(table.all()).toEqual(before);
  });

  it('skips an older event that arrives after a newer one, even one whose object is now bad', async () => {
    // Prepare
    const older = created();
    const newer = created();
    source.put(BUCKET, KEY, SEED);
    await ingestDigestEvent(newer, services);
    const live = report();
    source.put(BUCKET, KEY, PNG);

    // Act
    const late = await ingestDigestEvent(older, services);

    // Assess
    expect(late.report.status).toBe('skipped');
    expect(report()).toEqual(live);
    expect(liveStories()).toHaveLength(15);
  });

  it('withdraws every story of a deleted digest and reports it', async () => {
    // Prepare
    source.put(BUCKET, KEY, SEED);
    await ingestDigestEvent(created(), services);
    source.delete(BUCKET, KEY);

    // Act
    const result = await ingestDigestEvent(removed(), services);

    // Assess
    expect(result.report).toMatchObject({ status: 'withdrawn', stories: { withdrawn: 15 } });
    expect(report()?.status).toBe('withdrawn');
    expect(liveStories()).toEqual([]);
  });

  it('skips an upload event whose object is already gone', async () => {
    // Act
    const result = await ingestDigestEvent(created(KEY, 100), services);

    // Assess
    expect(result).toMatchObject({ persisted: false, report: { status: 'skipped' } });
    expect(source.reports.size).toBe(0);
  });

  it('fails (so that Lambda retries) when the store fails, and writes no report', async () => {
    // Prepare
    source.put(BUCKET, KEY, SEED);
    const broken = {
      ...services,
      stories: {
        ...services.stories,
        applyDigest: () => Promise.reject(new Error('InternalServerError')),
        orderOf: () => Promise.resolve('claim' as const),
      } as unknown as TableStoryStore,
    };

    // Act
    const attempt = ingestDigestEvent(created(), broken);

    // Assess
    await expect(attempt).rejects.toThrow('InternalServerError');
    expect(source.reports.size).toBe(0);
  });

  it('reports the stories whose text another digest gives, and a headline a correction changed', async () => {
    // Prepare
    source.put(BUCKET, 'digests/a.txt', SEED);
    await ingestDigestEvent(created('digests/a.txt'), services);
    source.put(BUCKET, 'digests/b.txt', SEED.replace('China is moving closer', 'China moved closer'));
    // Another day's digest, held by no other: its corrected headline takes the story off its old address.
    const nextDay = SEED.replace('Dec 01, 2020', 'Dec 02, 2020');
    source.put(BUCKET, 'digests/next.txt', nextDay);
    await ingestDigestEvent(created('digests/next.txt'), services);
    const retitled = nextDay.replace(
      'China is about to expand pilot programs for outbound investment',
      'China to expand pilot programs for outbound investment',
    );

    // Act
    const copy = await ingestDigestEvent(created('digests/b.txt'), services);
    source.put(BUCKET, 'digests/next.txt', retitled);
    const corrected = await ingestDigestEvent(created('digests/next.txt'), services);

    // Assess
    expect(copy.report.stories).toMatchObject({ added: 0, updated: 0, unchanged: 15 });
    expect(copy.report.held).toEqual([
      {
        storyId: expect.stringContaining('investment'),
        title: 'China is about to expand pilot programs for outbound investment',
        shownFrom: 'digests/a.txt',
        because: 'name-first',
      },
    ]);
    expect(corrected.report.renamed).toEqual([
      {
        from: {
          storyId: expect.stringContaining('china-is-about-to-expand'),
          title: 'China is about to expand pilot programs for outbound investment',
        },
        to: {
          storyId: expect.stringContaining('china-to-expand'),
          title: 'China to expand pilot programs for outbound investment',
        },
      },
    ]);
  });
});

describe('Function: ingestDigestEvent, on mailed digests (mail/ keys)', () => {
  const MAIL_DIR = new URL('../../fixtures/mail/', import.meta.url);
  const SEED_MAIL = readFileSync(new URL('cx-daily-2020-12-01.eml', MAIL_DIR));
  const FORWARDED = readFileSync(new URL('cx-daily-2021-06-02-nbsp-forwarded.eml', MAIL_DIR));
  /** What SES puts on top of a message whose sender it authenticated (SPF and DKIM for the From: domain). */
  const SES_PASS = [
    'X-SES-Spam-Verdict: PASS',
    'X-SES-Virus-Verdict: PASS',
    'Authentication-Results: amazonses.com; spf=pass (spfCheck: ok) client-ip=192.0.2.1; envelope-from=bounce@newsletter.example.com; helo=mx; dkim=pass header.i=@newsletter.example.com; dmarc=none header.from=newsletter.example.com;',
  ].join('\r\n');
  const ALLOWED = parseAllowedSenders('@newsletter.example.com');
  const reportOf = (key: string) =>
    source.reports.get(`${BUCKET}/reports/${key}.json`) as IngestReport | undefined;
  let source: MemoryDigestSource;
  let table: MemoryItemTable;
  let services: Parameters<typeof ingestDigestEvent>[1];
  const liveStories = (): string[] =>
    (table.all().filter((item) => item.pk.startsWith(KEY_PREFIX.story)) as unknown as StoryItem[])
      .filter((item) => isLive(item))
      .map((item) => item.storyId);

  beforeEach(() => {
    source = new MemoryDigestSource();
    table = new MemoryItemTable();
    services = {
      source,
      stories: new TableStoryStore(table),
      maxDigestBytes: 64 * 1024,
      mail: { verdicts: 'ses', allowedSenders: ALLOWED },
      now: () => new Date('2020-12-01T09:30:00Z'),
    };
  });

  it.each([
    ['two From: headers', 'From: daily@newsletter.example.com\r\nFrom: evil@attacker.example'],
    ['one From: header with two addresses', 'From: daily@newsletter.example.com, evil@attacker.example'],
  ])('refuses a message SES passed with %s, and tells the editors’ topic why', async (_, from) => {
    // Prepare
    const raw = `${SES_PASS}\r\n${from}\r\nSubject: Daily\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${SEED.replace(/\r?\n/g, '\r\n')}`;
    source.put(BUCKET, 'mail/two-from', raw);
    const published: PublishCommand[] = [];
    const notifier = new SnsReportNotifier({
      client: { send: async (command: PublishCommand) => published.push(command) } as unknown as SNSClient,
      topicArn: 'arn:aws:sns:us-east-1:123456789012:reports',
    });

    // Act
    const { report } = await ingestDigestEvent(created('mail/two-from'), services);
    await notifier.notify(report);

    // Assess
    expect(report).toMatchObject({ status: 'rejected', code: 'SENDER_REFUSED' });
    expect(report.reason).toMatch(
      /^the message has 2 From: addresses \(daily@newsletter\.example\.com, evil@attacker\.example\)/,
    );
    expect(liveStories()).toEqual([]);
    expect(published).toHaveLength(1);
    expect(published[0]?.input.Subject).toMatch(/^Rejected: /);
    expect(published[0]?.input.Message).toContain('the message has 2 From: addresses');
  });

  it('publishes a message SES authenticated from an allowed sender, reported under reports/mail/', async () => {
    // Prepare
    source.put(BUCKET, 'mail/abc123', Buffer.concat([Buffer.from(`${SES_PASS}\r\n`), SEED_MAIL]));

    // Act
    const { report } = await ingestDigestEvent(created('mail/abc123'), services);

    // Assess
    expect(report).toMatchObject({ status: 'ok', key: 'mail/abc123', stories: { added: 15 } });
    expect(reportOf('mail/abc123')?.status).toBe('ok');
    expect(liveStories()).toHaveLength(15);
  });

  it('refuses a forged From: (SPF and DKIM passed for another domain), writing no story', async () => {
    // Prepare
    const forged = SES_PASS.replace(/newsletter\.example\.com/g, 'attacker.example');
    source.put(BUCKET, 'mail/forged', Buffer.concat([Buffer.from(`${forged}\r\n`), SEED_MAIL]));

    // Act
    const { report } = await ingestDigestEvent(created('mail/forged'), services);

    // Assess
    expect(report).toMatchObject({ status: 'rejected', code: 'SENDER_REFUSED' });
    expect(report.reason).toMatch(/is not authenticated/);
    expect(table.all()).toEqual([]);
  });

  it('refuses a message with no SES verdicts on AWS (put under mail/ by hand)', async () => {
    // Prepare
    source.put(BUCKET, 'mail/by-hand.eml', SEED_MAIL);

    // Act
    const { report } = await ingestDigestEvent(created('mail/by-hand.eml'), services);

    // Assess
    expect(report).toMatchObject({ status: 'rejected', code: 'SENDER_REFUSED' });
  });

  it('refuses every mailed digest when no sender policy is configured', async () => {
    // Prepare
    const { mail: _mail, ...withoutMail } = services;
    source.put(BUCKET, 'mail/x', SEED_MAIL);

    // Act
    const { report } = await ingestDigestEvent(created('mail/x'), withoutMail);

    // Assess
    expect(report.reason).toMatch(/^mailed digests are not accepted here/);
  });

  it('gives two copies of one newsletter the same stories, not duplicates', async () => {
    // Prepare
    const local = { ...services, mail: { verdicts: 'trusted' } as const };
    source.put(BUCKET, 'mail/first.eml', SEED_MAIL);
    source.put(BUCKET, 'mail/second.eml', SEED_MAIL);
    await ingestDigestEvent(created('mail/first.eml'), local);

    // Act
    const { report } = await ingestDigestEvent(created('mail/second.eml'), local);

    // Assess
    expect(report).toMatchObject({ status: 'ok', stories: { total: 15, added: 0 } });
    expect(liveStories()).toHaveLength(15);
  });

  it('keeps a story live while another copy holds it, and withdraws it with the last', async () => {
    // Prepare
    const local = { ...services, mail: { verdicts: 'trusted' } as const };
    source.put(BUCKET, 'mail/first.eml', SEED_MAIL);
    source.put(BUCKET, 'digests/seed.txt', SEED);
    await ingestDigestEvent(created('mail/first.eml'), local);
    await ingestDigestEvent(created('digests/seed.txt'), local);

    // Act
    source.delete(BUCKET, 'mail/first.eml');
    await ingestDigestEvent(removed('mail/first.eml'), local);
    const afterOne = liveStories().length;
    source.delete(BUCKET, 'digests/seed.txt');
    await ingestDigestEvent(removed('digests/seed.txt'), local);

    // Assess
    expect(afterOne).toBe(15);
    expect(liveStories()).toEqual([]);
  });

  it('publishes an unwrapped forward from an allowed sender (trusted local mail)', async () => {
    // Prepare
    source.put(BUCKET, 'mail/fwd.eml', FORWARDED);

    // Act
    const { report } = await ingestDigestEvent(created('mail/fwd.eml'), {
      ...services,
      mail: { verdicts: 'trusted', allowedSenders: ALLOWED },
    });

    // Assess
    expect(report.status).toBe('ok');
    expect(report.stories.total).toBeGreaterThan(0);
  });
});
