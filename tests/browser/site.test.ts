import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { assignIssueIds, buildSite, CONTENT_TYPES, resolveSiteConfig, type SiteFile } from '@feedwright/site';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSiteTree } from '../../packages/cli/src/build/write-tree.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const DIGESTS = [
  join(ROOT, 'tests', 'fixtures', 'digests', 'cx-daily-2020-12-01.txt'),
  join(ROOT, 'tests', 'integration', 'build', 'digests', 'hostile-2020-12-02.txt'),
  join(ROOT, 'tests', 'fixtures', 'digests', 'cx-daily-2023-08-21-lists.txt'),
];
const TYPES: Record<string, string> = {
  '.html': CONTENT_TYPES.html,
  '.opml': CONTENT_TYPES.opml,
  '.json': CONTENT_TYPES.json,
};
const typeOf = (path: string): string =>
  path.endsWith('/atom.xml')
    ? CONTENT_TYPES.atom
    : path.endsWith('/rss.xml')
      ? CONTENT_TYPES.rss
      : (TYPES[extname(path)] ?? 'application/octet-stream');

/** A tiny static server for the built tree, as CloudFront would serve the bucket. */
function serve(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': typeOf(file) }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let dir: string;
let server: Server;
let browser: Browser;
let baseUrl: string;
let files: SiteFile[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`,
    );
  }
  dir = await mkdtemp(join(tmpdir(), 'feedwright-browser-'));
  server = await serve(dir);
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const digests = [];
  for (const digest of DIGESTS) digests.push(parseDigest(decodeDigest(await readFile(digest))));
  files = buildSite(
    digests.flatMap((digest) => digest.stories),
    resolveSiteConfig({ baseUrl }),
    { issues: assignIssueIds(digests) },
  );
  writeSiteTree(dir, files);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

interface Visit {
  readonly page: Page;
  readonly dialogs: string[];
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
}

async function open(path: string): Promise<Visit> {
  // A context per page, as axe-core's Playwright builder needs; browser.close() ends them all.
  const page = await (await browser.newContext()).newPage();
  const visit: Visit = { page, dialogs: [], consoleErrors: [], pageErrors: [] };
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') visit.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => visit.pageErrors.push(error.message));
  const response = await page.goto(new URL(path, baseUrl).href, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return visit;
}

// The tests are type-checked without the DOM library (the project is Node code), so the little of the
// page's globals that the evaluated functions touch is declared here.
interface PageGlobals {
  readonly __pwned?: unknown;
  readonly document: {
    querySelectorAll(selector: string): { length: number };
    querySelector(selector: string): unknown;
    readonly body: unknown;
  };
  getComputedStyle(element: unknown): {
    readonly display: string;
    readonly maxWidth: string;
    readonly listStyleType: string;
  };
}

interface ListElement {
  readonly children: ArrayLike<{ readonly textContent: string | null }>;
}

/** The lists in a page's article, as Chromium lays them out: tag, marker style and each item's display and text. */
const articleLists = (page: Page) =>
  page.$$eval('article ul, article ol', (lists) => {
    const view = globalThis as unknown as PageGlobals;
    return lists.map((list) => ({
      tag: list.tagName.toLowerCase(),
      marker: view.getComputedStyle(list).listStyleType,
      items: Array.from((list as unknown as ListElement).children, (item) => ({
        display: view.getComputedStyle(item).display,
        text: item.textContent,
      })),
    }));
  });

/** What the hostile digest's payloads would have left behind, had any of them run. */
async function traces(page: Page) {
  return page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    return {
      pwned: page.__pwned,
      // A JSON-LD data block is never run; any other script would be.
      scripts: page.document.querySelectorAll('script:not([type="application/ld+json"])').length,
      images: page.document.querySelectorAll('img, iframe, svg, object, embed').length,
      styles: page.document.querySelectorAll('style').length,
      bodyVisible: page.getComputedStyle(page.document.body).display !== 'none',
    };
  });
}

const alternates = (page: Page) =>
  page.$$eval('link[rel="alternate"]', (links) =>
    links.map((link) => ({
      type: link.getAttribute('type'),
      href: (link as unknown as { href: string }).href,
    })),
  );

describe('the built site in Chromium', () => {
  it('index.html has autodiscovery links for every feed, each served with its content type', async () => {
    // Act
    const { page } = await open('index.html');
    const links = await alternates(page);

    // Assess
    // Every subscription feed, the issue feed included; archive documents are found through the feeds.
    const feeds = files.filter((file) =>
      /^(?:feeds\/[^/]+|issues)\/(?:rss\.xml|atom\.xml|feed\.json)$/.test(file.path),
    );
    expect(links).toHaveLength(feeds.length);
    expect(new Set(links.map((link) => new URL(link.href).pathname))).toEqual(
      new Set(feeds.map((file) => `/${file.path.split('/').map(encodeURIComponent).join('/')}`)),
    );
    expect(links.slice(0, 3)).toEqual([
      { type: 'application/rss+xml', href: `${baseUrl}feeds/all/rss.xml` },
      { type: 'application/atom+xml', href: `${baseUrl}feeds/all/atom.xml` },
      { type: 'application/feed+json', href: `${baseUrl}feeds/all/feed.json` },
    ]);
    for (const link of links) {
      const response = await page.request.get(link.href);
      expect(response.status(), link.href).toBe(200);
      expect(response.headers()['content-type'], link.href).toBe(`${link.type}; charset=utf-8`);
    }
    await page.close();
  });

  it('index.html and the all-stories page show the hostile headlines as text and run none of them', async () => {
    // Act
    const visit = await open('index.html');
    const listing = await open('topics/all/index.html');

    // Assess
    expect(await traces(visit.page)).toEqual({
      pwned: undefined,
      scripts: 0,
      images: 0,
      styles: 1,
      bodyVisible: true,
    });
    expect(visit.dialogs).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(await traces(listing.page)).toMatchObject({ pwned: undefined, scripts: 0, images: 0 });
    const headlines = await listing.page.$$eval('main a', (anchors) => anchors.map((a) => a.textContent));
    expect(headlines).toContain('<img src=x onerror="window.__pwned=2"> takes over </title> the market');
    expect(headlines).toContain('<svg onload="window.__pwned=4"> quick hit headline');
    await visit.page.close();
    await listing.page.close();
  });

  it('a hostile story page is readable, styled under its CSP, and nothing from the digest ran', async () => {
    // Prepare
    const story = files.find((file) => file.path.includes('takes-over-title'));

    // Act
    const visit = await open(story?.path ?? 'missing.html');

    // Assess
    expect(await traces(visit.page)).toEqual({
      pwned: undefined,
      scripts: 0,
      images: 0,
      styles: 1,
      bodyVisible: true,
    });
    expect(visit.dialogs).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    // A wrong stylesheet hash would show as a CSP error here and as an unstyled page.
    expect(visit.consoleErrors).toEqual([]);
    const maxWidth = await visit.page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      const main = page.document.querySelector('main');
      return main === null ? null : page.getComputedStyle(main).maxWidth;
    });
    expect(maxWidth).toBe('704px');
    expect(await visit.page.textContent('h1')).toBe(
      '<img src=x onerror="window.__pwned=2"> takes over </title> the market',
    );
    const paragraphs = await visit.page.$$eval('article p', (ps) => ps.map((p) => p.textContent ?? ''));
    expect(
      paragraphs.some((text) =>
        text.includes('<script>window.__pwned=3</script>, a CDATA end ]]> and AT&amp;T'),
      ),
    ).toBe(true);
    expect(paragraphs.some((text) => text.includes('bell \u0007'))).toBe(false);
    await visit.page.close();
  });

  it('a story page with a list shows the list items as a bulleted or numbered list, markers drawn by the browser', async () => {
    // Prepare
    const bullets = files.find((file) => file.path.includes('banking-small-lenders-face-stricter-rules'));
    const numbers = files.find((file) => file.path.includes('autos-electric-car-sales-hit-a-record'));

    // Act
    const bulletVisit = await open(bullets?.path ?? 'missing.html');
    const numberVisit = await open(numbers?.path ?? 'missing.html');
    const bulletLists = await articleLists(bulletVisit.page);
    const numberLists = await articleLists(numberVisit.page);

    // Assess
    const items = (...texts: string[]) => texts.map((text) => ({ display: 'list-item', text }));
    expect(bulletLists[0]).toEqual({
      tag: 'ul',
      marker: 'disc',
      items: items(
        'Keep its loan-to-deposit ratio under 75%',
        'Report its ten largest borrowers every month',
        'Stop taking deposits through third-party apps',
      ),
    });
    expect(numberLists[0]).toEqual({
      tag: 'ol',
      marker: 'decimal',
      items: items('BYD, with 262,000 cars', 'Tesla China, with 64,000', 'GAC Aion, with 45,000'),
    });
    // The related headlines stay a list of their own after the body.
    expect(bulletLists.map((list) => list.tag)).toEqual(['ul', 'ul']);
    expect(numberLists.map((list) => list.tag)).toEqual(['ol', 'ul']);
    for (const visit of [bulletVisit, numberVisit]) {
      expect(visit.consoleErrors).toEqual([]);
      expect(visit.pageErrors).toEqual([]);
      await visit.page.close();
    }
  });

  it('a story page links its canonical URL and its topic’s three feeds', async () => {
    // Prepare
    const story = files.find((file) => file.path.includes('investment-china-is-about-to-expand'));

    // Act
    const { page } = await open(story?.path ?? 'missing.html');

    // Assess
    expect(await page.getAttribute('link[rel="canonical"]', 'href')).toBe(`${baseUrl}${story?.path}`);
    expect(await alternates(page)).toEqual([
      { type: 'application/rss+xml', href: `${baseUrl}feeds/investment/rss.xml` },
      { type: 'application/atom+xml', href: `${baseUrl}feeds/investment/atom.xml` },
      { type: 'application/feed+json', href: `${baseUrl}feeds/investment/feed.json` },
    ]);
    expect(await page.textContent('h1')).toBe(
      'China is about to expand pilot programs for outbound investment',
    );
    await page.close();
  });

  it('reaches a story from index.html through the issues by plain links, with JavaScript off', async () => {
    // Prepare
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(new URL('index.html', baseUrl).href);

    // Act
    await page.click('text=All issues');
    await page.click('main ul li a >> nth=0');
    await page.click('main ol li a strong >> nth=0');

    // Assess
    expect(new URL(page.url()).pathname).toMatch(/^\/stories\/.+\.html$/);
    expect(await page.locator('main nav a[href^="../issues/"]').count()).toBe(1);
    await page.click('main nav a[href^="../topics/"]');
    expect(new URL(page.url()).pathname).toMatch(/^\/topics\/[^/]+\/index\.html$/);
    await context.close();
  });

  it('every kind of page passes axe-core’s WCAG 2.1 A and AA rules', async () => {
    // Prepare: one page of each kind the site writes, plus the hostile story page.
    const pages = [
      'index.html',
      files.find((file) => file.path.includes('investment-china-is-about-to-expand'))?.path,
      files.find((file) => file.path.includes('takes-over-title'))?.path,
      // The archive's pages: a topic's page and month, an issue (the hostile one), the issue listings.
      'topics/all/index.html',
      'topics/all/2020-12.html',
      files.find((file) => /^issues\/2020-12-02-/.test(file.path))?.path,
      'issues/index.html',
      'issues/2020-12.html',
    ];

    for (const path of pages) {
      // Act
      const { page } = await open(path ?? 'missing.html');
      const results = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();

      // Assess
      expect(
        results.violations.map((violation) => `${violation.id}: ${violation.help}`),
        path,
      ).toEqual([]);
      expect(results.passes.length, path).toBeGreaterThan(0);
      await page.close();
    }
  });
});
