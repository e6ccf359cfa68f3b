import { parseDigest } from '@feedwright/digest';
import { parseAllowedSenders } from '@feedwright/mail';
import { ingestDigestEvent, nextSequencer, planRender, reconcile, runRenderPlan } from '@feedwright/pipeline';
import { assignIssueIds, buildSite, resolveSiteConfig } from '@feedwright/site';
import { TableIssueRegistry, TableStoryStore } from '@feedwright/storage';
import { MemoryDigestSource, MemoryItemTable, MemorySiteStore } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { mergeStories } from '../../../packages/cli/src/build/digests.ts';
import { digestEventsIn } from './digest-events.ts';

const BUCKET = 'feedwright-incoming';
const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com' });

function digestText(topic: string, title: string, body: string): string {
  return `Dec 01, 2020 09:19 AM\n\nA digest\n\nA summary.\n\n${topic} /\n\n${title}\n\n${body}\n`;
}

const { created } = digestEventsIn(BUCKET);

function fixture() {
  const source = new MemoryDigestSource();
  const table = new MemoryItemTable();
  const store = new TableStoryStore(table);
  const issues = new TableIssueRegistry(table);
  const site = new MemorySiteStore();
  const services = { source, incomingBucket: BUCKET, stories: store, issues, site, config };
  return { source, store, issues, site, services };
}

/** What `feedwright build` makes of the current objects, by path → body. */
function expectedSite(source: MemoryDigestSource): Map<string, string> {
  const digests = [...source.versions].flatMap(([path, versions]) => {
    const bytes = versions.at(-1)?.bytes;
    if (!bytes) return [];
    return [{ name: path.slice(BUCKET.length + 1), digest: parseDigest(new TextDecoder().decode(bytes)) }];
  });
  const issues = assignIssueIds(digests.map((entry) => entry.digest));
  return new Map(buildSite(mergeStories(digests), config, { issues }).map((file) => [file.path, file.body]));
}

function bodies(site: MemorySiteStore): Map<string, string> {
  return new Map(
    [...site.files].map(([path, file]) => [
      path,
      typeof file.body === 'string' ? file.body : Buffer.from(file.body).toString('utf8'),
    ]),
  );
}

describe('Function: reconcile', () => {
  it('applies a digest whose event was lost, withdraws one deleted unseen, and repairs the site', async () => {
    // Prepare
    const { source, site, services } = fixture();
    source.put(BUCKET, 'digests/kept.txt', digestText('Law', 'A court rules', 'Kept.'));
    await ingestDigestEvent(created('digests/kept.txt'), services);
    source.put(BUCKET, 'digests/gone.txt', digestText('Metals', 'Banks sell gold', 'Gone.'));
    await ingestDigestEvent(created('digests/gone.txt'), services);
    source.delete(BUCKET, 'digests/gone.txt');
    source.put(BUCKET, 'digests/lost.txt', digestText('Trade', 'Ports reopen', 'Lost event.'));
    await site.putIfChanged({
      path: 'stories/stale.html',
      body: 'x',
      contentType: 'text/html',
      cacheControl: 'x',
    });

    // Act
    const result = await reconcile(services);

    // Assess
    expect(result).toMatchObject({
      digests: 2,
      reapplied: ['digests/lost.txt'],
      withdrawn: ['digests/gone.txt'],
    });
    expect(result.deleted).toContain('stories/stale.html');
    expect(result.firstSite).toBe(false);
    expect(bodies(site)).toEqual(expectedSite(source));
  });

  it("writes a new stack's first site as such, not as a repair; an object of it lost later is a repair", async () => {
    // Prepare: no digest, an empty table and an empty site bucket
    const { site, services } = fixture();

    // Act
    const first = await reconcile(services);
    const again = await reconcile(services);
    site.files.delete('index.html');
    const afterLoss = await reconcile(services);

    // Assess
    expect(first).toMatchObject({ digests: 0, reapplied: [], withdrawn: [], deleted: [], firstSite: true });
    expect(first.written).toEqual(expect.arrayContaining(['index.html', 'feeds.opml', 'feeds/all/atom.xml']));
    expect(again).toMatchObject({ written: [], deleted: [], firstSite: false });
    expect(afterLoss).toMatchObject({ written: ['index.html'], deleted: [], firstSite: false });
  });

  it('repairs an empty site bucket of a stack that has digests: no first site', async () => {
    // Prepare: a digest applied, its site never written (the render lost)
    const { source, site, services } = fixture();
    source.put(BUCKET, 'digests/kept.txt', digestText('Law', 'A court rules', 'Kept.'));
    await ingestDigestEvent(created('digests/kept.txt'), services);

    // Act
    const result = await reconcile(services);

    // Assess
    expect(result).toMatchObject({ digests: 1, firstSite: false });
    expect(result.written).toContain('index.html');
    expect(bodies(site)).toEqual(expectedSite(source));
  });

  it('brings back a digest whose manifest says withdrawn while its object is there', async () => {
    // Prepare
    const { source, store, site, services } = fixture();
    source.put(BUCKET, 'digests/a.txt', digestText('Law', 'A court rules', 'Text.'));
    await ingestDigestEvent(created('digests/a.txt'), services);
    await store.withdrawDigest({ key: 'digests/a.txt', sequencer: 'FFFFFFFFFFFFFFFFFF' });

    // Act
    const result = await reconcile(services);

    // Assess
    expect(result.reapplied).toEqual(['digests/a.txt']);
    expect(bodies(site)).toEqual(expectedSite(source));
  });

  it("leaves the operator's own objects alone: only what the pipeline wrote is deleted", async () => {
    // Prepare
    const { source, site, services } = fixture();
    source.put(BUCKET, 'digests/a.txt', digestText('Law', 'A court rules', 'Text.'));
    const own = (path: string) => ({ path, body: `${path}\n`, contentType: 'text/plain', cacheControl: 'x' });
    site.putForeign(own('robots.txt'));
    site.putForeign(own('.well-known/security.txt'));
    await site.putIfChanged(own('stories/stale.html'));

    // Act
    const result = await reconcile(services);

    // Assess
    expect(result.deleted).toEqual(['stories/stale.html']);
    expect([...site.files.keys()]).toEqual(
      expect.arrayContaining(['robots.txt', '.well-known/security.txt']),
    );
    const built = expectedSite(source);
    expect([...site.files.keys()].filter((path) => !built.has(path)).sort()).toEqual([
      '.well-known/security.txt',
      'robots.txt',
    ]);
  });

  it('writes and deletes nothing, and re-reads no digest, when nothing differs', async () => {
    // Prepare
    const { source, site, services } = fixture();
    source.put(BUCKET, 'digests/a.txt', digestText('Law', 'A court rules', 'Text.'));
    source.put(BUCKET, 'digests/b.txt', digestText('Law', 'A court rules', 'Other text.'));
    await reconcile(services);
    const before = { writes: site.writes, deletes: site.deletes, reads: source.reads };

    // Act
    const result = await reconcile(services);

    // Assess
    expect(result).toMatchObject({ reapplied: [], withdrawn: [], written: [], deleted: [] });
    expect({ writes: site.writes, deletes: site.deletes, reads: source.reads }).toEqual(before);
    expect(bodies(site)).toEqual(expectedSite(source));
  });
});

describe('Function: reconcile, and render with the archive', () => {
  it('finds the bucket render wrote right: writes and deletes nothing', async () => {
    // Prepare
    const { source, store, issues, site, services } = fixture();
    source.put(BUCKET, 'digests/a.txt', digestText('Law', 'A court rules', 'Text.'));
    // Applied with the site made by reconcile; then render rewrites the whole of it from the table.
    await reconcile(services);
    const stories = await store.liveStories();
    const months = new Set(stories.map(({ story }) => story.publishedAt.slice(0, 7)));
    await runRenderPlan(
      {
        ...planRender([]),
        storyIds: new Set(stories.map(({ story }) => story.storyId)),
        topics: new Set(['all', ...stories.map(({ story }) => story.topicSlug)]),
        listings: true,
        topicMonths: new Map(
          ['all', ...stories.map(({ story }) => story.topicSlug)].map((slug) => [slug, months]),
        ),
        sitemapMonths: months,
        issueMonths: months,
      },
      { stories: store, site, config, archive: { stories: store, issues } },
    );
    const before = { writes: site.writes, deletes: site.deletes };

    // Act
    const result = await reconcile(services);

    // Assess
    expect(result).toMatchObject({ written: [], deleted: [] });
    expect({ writes: site.writes, deletes: site.deletes }).toEqual(before);
    expect([...site.files.keys()]).toContain('issues/2020-12-01-a-digest.html');
  });
});

describe('Function: reconcile, with mailed digests', () => {
  const mail = { verdicts: 'trusted' } as const;
  const message = (text: string) =>
    `From: daily@newsletter.example.com\r\nSubject: Daily\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}`;

  it('keeps the stories of a mail/ object, which is no orphan, and changes nothing', async () => {
    // Prepare
    const { source, store, services } = fixture();
    source.put(BUCKET, 'mail/abc.eml', message(digestText('Law', 'A court rules', 'Mailed.')));
    await ingestDigestEvent(created('mail/abc.eml'), { ...services, mail });
    await reconcile({ ...services, mail });

    // Act
    const result = await reconcile({ ...services, mail });

    // Assess
    expect(result).toMatchObject({ digests: 1, reapplied: [], withdrawn: [] });
    expect((await store.liveStories()).map((entry) => entry.story.title)).toEqual(['A court rules']);
  });

  it('applies a mail/ object whose event was lost, under the same sender rule', async () => {
    // Prepare
    const { source, store, services } = fixture();
    source.put(BUCKET, 'mail/lost.eml', message(digestText('Trade', 'Ports reopen', 'Lost event.')));

    // Act
    const result = await reconcile({ ...services, mail });

    // Assess
    expect(result.reapplied).toEqual(['mail/lost.eml']);
    expect((await store.liveStories()).map((entry) => entry.story.title)).toEqual(['Ports reopen']);
  });

  it('publishes nothing from a lost mail/ object whose sender is not allowed', async () => {
    // Prepare
    const { source, store, services } = fixture();
    source.put(BUCKET, 'mail/lost.eml', message(digestText('Trade', 'Ports reopen', 'Lost event.')));

    // Act
    await reconcile({
      ...services,
      mail: { verdicts: 'trusted', allowedSenders: parseAllowedSenders('a@x.com') },
    });

    // Assess
    expect(await store.liveStories()).toEqual([]);
  });
});

describe('Function: reconcile, when the sender policy changes', () => {
  const message = (from: string, text: string) =>
    `From: ${from}\r\nSubject: Daily\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}`;
  const anyone = { verdicts: 'trusted' } as const;
  const editorOnly = {
    verdicts: 'trusted',
    allowedSenders: parseAllowedSenders('editor@example.com'),
  } as const;

  it('withdraws a live mailed digest the tightened policy refuses, and only that one', async () => {
    // Prepare
    const { source, store, site, services } = fixture();
    source.put(
      BUCKET,
      'mail/forged.eml',
      message('Editor <evil@attacker.com>', digestText('Law', 'Forged story', 'Forged.')),
    );
    source.put(
      BUCKET,
      'mail/good.eml',
      message('editor@example.com', digestText('Trade', 'Ports reopen', 'Good.')),
    );
    await reconcile({ ...services, mail: anyone });
    expect((await store.liveStories()).map((entry) => entry.story.title).sort()).toEqual([
      'Forged story',
      'Ports reopen',
    ]);

    // Act
    const result = await reconcile({ ...services, mail: editorOnly });
    const again = await reconcile({ ...services, mail: editorOnly });

    // Assess
    expect(result.withdrawn).toEqual(['mail/forged.eml']);
    expect((await store.liveStories()).map((entry) => entry.story.title)).toEqual(['Ports reopen']);
    expect([...site.files.keys()].some((path) => path.includes('forged-story'))).toBe(false);
    expect(again).toMatchObject({ reapplied: [], withdrawn: [], written: [], deleted: [] });
  });

  it('publishes it again when the policy lets its sender in again', async () => {
    // Prepare
    const { source, store, services } = fixture();
    source.put(
      BUCKET,
      'mail/later.eml',
      message('later@example.com', digestText('Law', 'A later story', 'Later.')),
    );
    await reconcile({ ...services, mail: anyone });
    await reconcile({ ...services, mail: editorOnly });
    expect(await store.liveStories()).toEqual([]);

    // Act
    const result = await reconcile({ ...services, mail: anyone });

    // Assess
    expect(result.reapplied).toEqual(['mail/later.eml']);
    expect((await store.liveStories()).map((entry) => entry.story.title)).toEqual(['A later story']);
  });
});

describe('Function: nextSequencer', () => {
  it('counts up in hex keeping the width, and starts a key never seen at the lowest value', () => {
    expect([nextSequencer('0055AED6DCD90281FF'), nextSequencer(undefined)]).toEqual([
      '0055AED6DCD9028200',
      '0',
    ]);
  });
});
