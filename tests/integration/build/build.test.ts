import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { isSearchPath } from '@feedwright/site';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runFeedwright } from '../../support/cli.ts';
import { readWithFeedsmith, siteProblems } from '../../support/validators.ts';

const ROOT = REPO_ROOT;
const SEED_DIR = join(ROOT, 'tests', 'fixtures', 'digests');
const SEED = join(SEED_DIR, 'cx-daily-2020-12-01.txt');
const OWN_DIR = join(ROOT, 'tests', 'integration', 'build', 'digests');
const CORRECTED = join(OWN_DIR, 'cx-daily-2020-12-01-corrected.txt');
const HOSTILE = join(OWN_DIR, 'hostile-2020-12-02.txt');
const BASE_URL = 'https://feeds.example.com';

/** Every file under `dir`, by relative path with '/' separators. */
async function readTree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(entry.parentPath, entry.name);
    files.set(relative(dir, full).split('\\').join('/'), await readFile(full, 'utf8'));
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Paths of the archive, which archive.test.ts checks: the tests here keep to the feeds and pages. */
const ARCHIVE = /^(?:topics\/|issues\/|sitemaps?[/.]|feeds\/[^/]+\/archive\/)/;

const asFiles = (tree: Map<string, string>) => [...tree].map(([path, body]) => ({ path, body }));

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'feedwright-build-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('feedwright build', () => {
  // Every page and feed of the whole fixture corpus goes through the validators: it grows with the
  // corpus and took over 30 s in a full run on a loaded 2-core machine. A correctness test, not a timed one.
  it('builds the full tree from tests/fixtures/digests, every file passing the checks', async () => {
    // Prepare
    const out = join(scratch, 'fixtures');
    const names = (await readdir(SEED_DIR)).filter((name) => name.endsWith('.txt'));
    const digests = await Promise.all(
      names.map(async (name) => parseDigest(await readFile(join(SEED_DIR, name), 'utf8'))),
    );
    const stories = digests.flatMap((digest) => digest.stories);

    // Act
    const run = await runFeedwright('build', SEED_DIR, '--out', out, '--base-url', BASE_URL, '--no-archive');

    // Assess
    expect(run.code).toBe(0);
    const tree = await readTree(out);
    const slugs = [...new Set(stories.map((story) => story.topicSlug)), 'all'];
    const expected = [
      'index.html',
      'favicon.svg',
      'feeds.opml',
      ...slugs.flatMap((slug) => ['rss.xml', 'atom.xml', 'feed.json'].map((name) => `feeds/${slug}/${name}`)),
      ...new Set(stories.map((story) => `stories/${story.storyId}.html`)),
    ].sort();
    // With --no-archive, feeds, story pages and listings only; the archive is checked in archive.test.ts.
    expect([...tree.keys()].filter((path) => !isSearchPath(path))).toEqual(expected);
    expect([...tree.keys()].filter(isSearchPath)).toEqual(
      expect.arrayContaining([
        'search.html',
        'search.js',
        'pagefind/pagefind-entry.json',
        'pagefind/pagefind.js',
      ]),
    );
    expect(await siteProblems(asFiles(tree).filter((file) => !ARCHIVE.test(file.path)))).toEqual([]);
    expect(run.stderr.trim()).toBe(
      `built ${tree.size} files from ${names.length} digests (0 rejected) into ${out}`,
    );
    const newest = [...digests].sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt))[0];
    const all = readWithFeedsmith('atom', tree.get('feeds/all/atom.xml') ?? '');
    expect(all.items.slice(0, newest?.stories.length).map((item) => item.title)).toEqual(
      newest?.stories.map((story) => story.title),
    );
    expect(all.items[0]?.url).toBe(
      `${BASE_URL}/stories/${encodeURIComponent(newest?.stories[0]?.storyId ?? '')}.html`,
    );
  }, 120_000);

  it('gives a byte-identical tree whatever the order of its inputs, the later digest winning', async () => {
    // Prepare
    const first = join(scratch, 'order-1');
    const second = join(scratch, 'order-2');

    // Act
    const one = await runFeedwright('build', SEED, OWN_DIR, '--out', first, '--base-url', BASE_URL);
    const two = await runFeedwright(
      'build',
      HOSTILE,
      CORRECTED,
      SEED,
      '--out',
      second,
      '--base-url',
      BASE_URL,
    );

    // Assess
    expect([one.code, two.code]).toEqual([0, 0]);
    const treeOne = await readTree(first);
    const treeTwo = await readTree(second);
    expect([...treeTwo.keys()]).toEqual([...treeOne.keys()]);
    for (const [path, body] of treeOne) expect(treeTwo.get(path), path).toBe(body);
    const page = [...treeOne].find(([path]) => path.includes('personal-data-cover-story'))?.[1] ?? '';
    expect(page).toContain('more than 8,100 apps (corrected)');
    expect(await siteProblems(asFiles(treeOne).filter((file) => !ARCHIVE.test(file.path)))).toEqual([]);
  });

  it('writes the search index of the stories built, removing index files an earlier build left', async () => {
    // Prepare
    const out = join(scratch, 'search');
    const alone = join(scratch, 'search-alone');
    await runFeedwright('build', SEED, HOSTILE, '--out', out, '--base-url', BASE_URL);
    const before = await readTree(out);

    // Act
    const run = await runFeedwright('build', CORRECTED, '--out', out, '--base-url', BASE_URL);
    await runFeedwright('build', CORRECTED, '--out', alone, '--base-url', BASE_URL);

    // Assess: the index is exactly that of a build of the one digest into an empty folder.
    expect(run.code).toBe(0);
    const index = (tree: Map<string, string>) => [...tree].filter(([path]) => path.startsWith('pagefind/'));
    const after = index(await readTree(out));
    expect(after).toEqual(index(await readTree(alone)));
    expect(index(before)).not.toEqual(after);
    const entry = JSON.parse(new Map(after).get('pagefind/pagefind-entry.json') ?? '{}') as {
      languages?: Record<string, { page_count: number }>;
    };
    const stories = parseDigest(await readFile(CORRECTED, 'utf8')).stories;
    expect(entry.languages?.en?.page_count).toBe(new Set(stories.map((story) => story.storyId)).size);
  });

  it('reports a rejected digest with its reason, builds the rest, shows progress and exits 1', async () => {
    // Prepare
    const inbox = join(scratch, 'inbox');
    const out = join(scratch, 'partial');
    await rm(inbox, { recursive: true, force: true });
    await import('node:fs/promises').then(({ mkdir }) => mkdir(inbox));
    for (let copy = 0; copy < 20; copy += 1)
      await copyFile(SEED, join(inbox, `seed-${String(copy).padStart(2, '0')}.txt`));
    await writeFile(join(inbox, 'empty.txt'), '');
    await writeFile(join(inbox, 'notes.md'), 'not a digest, and not read');

    // Act
    const run = await runFeedwright('build', inbox, '--out', out, '--base-url', BASE_URL);

    // Assess
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toContain(`feedwright: ${join(inbox, 'empty.txt')}: ${rejectionOf(new Uint8Array())}`);
    expect(lines).toContain('feedwright: parsed 21/21');
    expect(lines.at(-1)).toMatch(/^built \d+ files from 20 digests \(1 rejected\) into /);
    expect(run.stderr).not.toContain('notes.md');
    expect((await readTree(out)).has('feeds/all/rss.xml')).toBe(true);
  });

  it('refuses a file over --max-bytes before reading it', async () => {
    // Act
    const run = await runFeedwright('build', SEED, '--out', join(scratch, 'small'), '--max-bytes', '1000');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^feedwright: ${SEED}: the file is .*over the .*limit`, 'm'));
  });

  it('advertises the --hub in every subscription feed (topics, all, issues), not in archives or pages', async () => {
    // Prepare
    const out = join(scratch, 'hub');
    const hub = 'https://hub.example.net/';

    // Act
    const run = await runFeedwright('build', SEED, '--out', out, '--base-url', BASE_URL, '--hub', hub);

    // Assess
    expect(run.code).toBe(0);
    const tree = await readTree(out);
    const feeds = [...tree.keys()].filter((path) =>
      /^(feeds\/[^/]+|issues)\/(rss\.xml|atom\.xml|feed\.json)$/.test(path),
    );
    const archives = [...tree.keys()].filter((path) => path.includes('/archive/'));
    expect(feeds).toContain('issues/atom.xml');
    expect(feeds.length).toBeGreaterThan(6);
    expect(archives.length).toBeGreaterThan(0);
    for (const path of feeds) {
      const format = path.endsWith('rss.xml') ? 'rss' : path.endsWith('atom.xml') ? 'atom' : 'json';
      const read = readWithFeedsmith(format, tree.get(path) ?? '');
      expect(read.hubUrl, path).toBe(hub);
      expect(read.selfUrl, path).toBe(`${BASE_URL}/${path}`);
    }
    for (const path of [...archives, 'index.html', 'issues/index.html']) {
      expect(tree.get(path), path).not.toContain(hub);
    }
    expect(await siteProblems(asFiles(tree))).toEqual([]);
  });

  it.each([
    [['build', SEED, '--out', 'x', '--hub', 'hub.example.net'], /hubUrl/],
    [['build', SEED], /--out DIR is required/],
    [['build', '--out', 'x'], /name at least one digest/],
    [['build', SEED, '--out', 'x', '--timezone', 'Mars/Olympus'], /unknown time zone/],
    [['build', SEED, '--out', 'x', '--base-url', 'not a url'], /baseUrl/],
    [['build', SEED, '--out', 'x', '--items', 'many'], /--items/],
    [['build', SEED, '--out', 'x', '--colour'], /--colour/],
  ])('exits 2 with a usage message for %j', async (args, message) => {
    // Act
    const run = await runFeedwright(...args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('Usage: feedwright build');
  });
});

describe('feedwright build, on saved e-mails', () => {
  it('builds the same site from a folder of .eml files as from the .txt digests they carry', async () => {
    // Prepare
    const mailDir = join(scratch, 'mail-in');
    const textDir = join(scratch, 'text-in');
    await Promise.all([mkdir(mailDir), mkdir(textDir)]);
    await copyFile(join(ROOT, 'tests/fixtures/mail/cx-daily-2020-12-01.eml'), join(mailDir, 'a.eml'));
    await copyFile(
      join(ROOT, 'tests/fixtures/mail/cx-daily-2022-10-17-cjk-gb18030.eml'),
      join(mailDir, 'b.eml'),
    );
    await copyFile(SEED, join(textDir, 'a.txt'));
    await copyFile(join(SEED_DIR, 'cx-daily-2022-10-17-cjk.txt'), join(textDir, 'b.txt'));

    // Act
    const fromMail = await runFeedwright(
      'build',
      mailDir,
      '--out',
      join(scratch, 'mail-out'),
      '--base-url',
      BASE_URL,
    );
    const fromText = await runFeedwright(
      'build',
      textDir,
      '--out',
      join(scratch, 'text-out'),
      '--base-url',
      BASE_URL,
    );

    // Assess
    expect(fromMail.code).toBe(0);
    expect(fromText.code).toBe(0);
    const mailTree = await readTree(join(scratch, 'mail-out'));
    expect(mailTree.size).toBeGreaterThan(20);
    expect(mailTree).toEqual(await readTree(join(scratch, 'text-out')));
  });
});

/** The parser's own message for a text, so the test does not restate another package's wording. */
function rejectionOf(bytes: Uint8Array): string {
  try {
    parseDigest(decodeDigest(bytes));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the parser to reject this text');
}
