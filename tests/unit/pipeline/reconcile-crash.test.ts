import { parseDigest } from '@feedwright/digest';
import { type DigestEvent, ingestDigestEvent, reconcile, redirectPages } from '@feedwright/pipeline';
import { assignIssueIds, buildSite, resolveSiteConfig } from '@feedwright/site';
import { TableIssueRegistry, TableStoryStore } from '@feedwright/storage';
import { reportKeyFor } from '@feedwright/storage/schema';
import { MemoryDigestSource, MemoryItemTable, MemorySiteStore } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { mergeStories } from '../../../packages/cli/src/build/digests.ts';
import { withoutUpdatedTimes } from '../../support/updated-times.ts';
import { Crash, CrashingSource, CrashingTable, type Write } from './crash.ts';
import { digestEventsIn } from './digest-events.ts';

const BUCKET = 'feedwright-incoming';
const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com' });

function digestText(title: string, stories: readonly [topic: string, headline: string][]): string {
  const sections = stories.map(([topic, headline]) => `${topic} /\n\n${headline}\n\nText of ${headline}.\n`);
  return `Dec 01, 2020 09:19 AM\n\n${title}\n\nA summary of ${title}.\n\n${sections.join('\n')}`;
}

/** The stores of one run: the table, the incoming bucket and the site bucket outlive any process. */
function world() {
  return { table: new MemoryItemTable(), source: new MemoryDigestSource(), site: new MemorySiteStore() };
}
type World = ReturnType<typeof world>;

/** The services of one process over the world's stores; `crash` kills it at a write. */
function processOf({ table, source, site }: World, crash = new Crash(Number.POSITIVE_INFINITY)) {
  const crashing = new CrashingTable(table, crash);
  const stories = new TableStoryStore(crashing, { concurrency: 1 });
  return {
    source: new CrashingSource(source, crash),
    incomingBucket: BUCKET,
    stories,
    redirects: stories,
    issues: new TableIssueRegistry(crashing),
    site,
    config,
  };
}

/** What `feedwright build` makes of the current objects, by path → body. */
function buildOf(source: MemoryDigestSource): Map<string, string> {
  const digests = [...current(source)].map(([key, text]) => ({ name: key, digest: parseDigest(text) }));
  const issues = assignIssueIds(digests.map((entry) => entry.digest));
  return new Map(buildSite(mergeStories(digests), config, { issues }).map((file) => [file.path, file.body]));
}

function current(source: MemoryDigestSource): Map<string, string> {
  const objects = new Map<string, string>();
  for (const [path, versions] of source.versions) {
    const bytes = versions.at(-1)?.bytes;
    if (bytes) objects.set(path.slice(BUCKET.length + 1), new TextDecoder().decode(bytes));
  }
  return objects;
}

/** The paths where the site and build differ, but for the updated times of corrected stories. */
function differences(site: Map<string, string>, build: Map<string, string>): string[] {
  const plain = (body: string | undefined) => (body === undefined ? undefined : withoutUpdatedTimes(body));
  return [...new Set([...site.keys(), ...build.keys()])].filter(
    (path) => plain(site.get(path)) !== plain(build.get(path)),
  );
}

function bodies(site: MemorySiteStore): Map<string, string> {
  return new Map(
    [...site.files].map(([path, file]) => [
      path,
      typeof file.body === 'string' ? file.body : Buffer.from(file.body).toString('utf8'),
    ]),
  );
}

/**
 * The site's files but for exactly the redirect pages the table's redirect records call for (an old
 * address of a story whose headline was corrected): build has no history to know them by.
 */
async function withoutRedirectPages(
  files: Map<string, string>,
  { table }: World,
): Promise<Map<string, string>> {
  const store = new TableStoryStore(table);
  const pages = redirectPages(await store.redirects(), await store.liveStories(), config);
  const explained = new Map(pages.map((file) => [file.path, file.body]));
  return new Map([...files].filter(([path, body]) => explained.get(path) !== body));
}

type Report = { status: string; digest?: { title: string } };
const reportOf = (source: MemoryDigestSource, key: string) =>
  source.reports.get(`${BUCKET}/${reportKeyFor(key)}`) as Report | undefined;

/**
 * The reports an editor must find: the current version's (`ok`, its title) for every digest in the
 * bucket, `withdrawn` for every deleted one that has a report.
 */
function reportsOf(source: MemoryDigestSource, keys: readonly string[]): Record<string, string> {
  const objects = current(source);
  return Object.fromEntries(
    keys.flatMap((key) => {
      const report = reportOf(source, key);
      if (report === undefined) return objects.has(key) ? [[key, 'missing']] : [];
      return [[key, `${report.status} ${report.digest?.title ?? ''}`.trim()]];
    }),
  );
}
function wantedReports(source: MemoryDigestSource, keys: readonly string[]): Record<string, string> {
  const objects = current(source);
  return Object.fromEntries(
    keys.flatMap((key) => {
      const text = objects.get(key);
      if (text !== undefined) return [[key, `ok ${parseDigest(text).title}`]];
      return reportOf(source, key) === undefined ? [] : [[key, 'withdrawn']];
    }),
  );
}

const { created, removed } = digestEventsIn(BUCKET);

describe('Function: reconcile, after a crash in ingest', () => {
  it('records the issue and writes the report of an upload that stopped right after its commit', async () => {
    // Prepare: a digest published; a corrected upload of it stops after the manifest's commit.
    const stores = world();
    const key = 'digests/a.txt';
    stores.source.put(BUCKET, key, digestText('First edition', [['Law', 'A court rules']]));
    await ingestDigestEvent(created(key), processOf(stores));
    stores.source.put(
      BUCKET,
      key,
      digestText('Second edition', [
        ['Law', 'A court rules'],
        ['Trade', 'Ports reopen'],
      ]),
    );
    // The issue registry's first write (the pointer, or the record) comes right after the commit.
    const issueWrite = (write: Write) =>
      'item' in write && (write.item.sk === 'ISSUE' || write.item.pk.startsWith('ISSUES#'));
    await expect(ingestDigestEvent(created(key), processOf(stores, new Crash(issueWrite)))).rejects.toThrow(
      /killed/,
    );
    const manifest = (await processOf(stores).stories.manifests([key])).get(key);
    expect(manifest).toMatchObject({ state: 'applied', contentHash: expect.any(String) });
    expect(reportOf(stores.source, key)?.digest?.title).toBe('First edition');

    // Act
    const result = await reconcile(processOf(stores));

    // Assess
    expect(result.reapplied).toEqual([key]);
    expect(reportOf(stores.source, key)).toMatchObject({
      status: 'ok',
      digest: { title: 'Second edition' },
      stories: { total: 2, added: 1, unchanged: 1 },
    });
    expect(bodies(stores.site)).toEqual(buildOf(stores.source));
    expect([...stores.site.files.keys()]).toContain('issues/2020-12-01-second-edition.html');
  });

  it('converges to build, reports included, whichever write of an ingest a crash comes before', async () => {
    // Prepare: uploads, a correction that moves a story, a shared story, a delete; each event in turn
    // is cut short before each of its writes (the earlier events ran to the end).
    const texts = {
      a1: digestText('Alpha', [
        ['Law', 'A court rules'],
        ['Trade', 'Ports reopen'],
      ]),
      b: digestText('Beta', [
        ['Trade', 'Ports reopen'],
        ['Metals', 'Banks sell gold'],
      ]),
      a2: digestText('Alpha corrected', [
        ['Law', 'A court rules again'],
        ['Metals', 'Banks sell gold'],
      ]),
    };
    const steps: readonly ((source: MemoryDigestSource) => DigestEvent)[] = [
      (source) => {
        source.put(BUCKET, 'digests/a.txt', texts.a1);
        return created('digests/a.txt');
      },
      (source) => {
        source.put(BUCKET, 'digests/b.txt', texts.b);
        return created('digests/b.txt');
      },
      (source) => {
        source.put(BUCKET, 'digests/a.txt', texts.a2);
        return created('digests/a.txt');
      },
      (source) => {
        source.delete(BUCKET, 'digests/b.txt');
        return removed('digests/b.txt');
      },
    ];
    const keys = ['digests/a.txt', 'digests/b.txt'];
    const failures: string[] = [];
    let crashes = 0;

    for (const [index, step] of steps.entries()) {
      for (let at = 1; ; at += 1) {
        const stores = world();
        for (const earlier of steps.slice(0, index)) {
          await ingestDigestEvent(earlier(stores.source), processOf(stores));
        }
        const crash = new Crash(at);
        const died = await ingestDigestEvent(step(stores.source), processOf(stores, crash)).then(
          () => false,
          () => true,
        );
        if (!died) break;
        crashes += 1;

        // Act: a restart's reconcile, twice (the second must find nothing left to do)
        await reconcile(processOf(stores));
        const again = await reconcile(processOf(stores));

        // Assess
        const where = `event ${index + 1}, write ${at}`;
        const differing = differences(
          await withoutRedirectPages(bodies(stores.site), stores),
          buildOf(stores.source),
        );
        if (differing.length > 0) {
          failures.push(`${where}: the site differs from build at ${differing.join(' ')}`);
        }
        // From the corrected headline on, the old address leads to the story (whatever the crash cut short).
        const oldPage = bodies(stores.site).get('stories/2020-12-01-law-a-court-rules.html') ?? '';
        if (index >= 2 && !oldPage.includes('url=2020-12-01-law-a-court-rules-again.html')) {
          failures.push(`${where}: the old address does not redirect: ${oldPage.slice(0, 80)}`);
        }
        const reports = reportsOf(stores.source, keys);
        if (JSON.stringify(reports) !== JSON.stringify(wantedReports(stores.source, keys))) {
          failures.push(`${where}: reports ${JSON.stringify(reports)}`);
        }
        if (again.reapplied.length + again.withdrawn.length + again.written.length > 0) {
          failures.push(`${where}: a second reconcile still changed ${JSON.stringify(again)}`);
        }
      }
    }

    expect(failures).toEqual([]);
    expect(crashes).toBeGreaterThan(steps.length * 5);
  });
});
