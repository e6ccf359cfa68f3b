import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AxeBuilder } from '@axe-core/playwright';
import type { LocalStack } from '@feedwright/local-stack';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useIsolatedStack } from '../integration/local-stack/support.ts';
import { htmlProblems } from '../support/validators.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const DIGESTS = [
  join(ROOT, 'tests', 'fixtures', 'digests', 'cx-daily-2020-12-01.txt'),
  join(ROOT, 'tests', 'integration', 'build', 'digests', 'hostile-2020-12-02.txt'),
];

let stack: LocalStack;
let s3: S3Client;
let browser: Browser;

interface Visit {
  readonly page: Page;
  readonly dialogs: string[];
  /**
   * What the Content-Security-Policy refused (Chromium reports it on the console) and every response of
   * the page that failed (the browser's own favicon request, which no page asks for, left out).
   */
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
}

async function open(path: string, options: BrowserContextOptions = {}): Promise<Visit> {
  const page = await (await browser.newContext(options)).newPage();
  const visit: Visit = { page, dialogs: [], consoleErrors: [], pageErrors: [] };
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/i.test(message.text())) {
      visit.consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => visit.pageErrors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) visit.consoleErrors.push(`${response.status()} ${response.url()}`);
  });
  const response = await page.goto(new URL(path, stack.siteUrl).href, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return visit;
}

// The tests are type-checked without the DOM library: the little of an element they read, declared.
interface ShownElement {
  querySelector(
    selector: string,
  ): { readonly textContent: string | null; getAttribute(name: string): string | null } | null;
  querySelectorAll(
    selector: string,
  ): ArrayLike<{ readonly textContent: string | null; readonly tagName: string }>;
}

/** Types `words` into the search page's box and submits, as a reader would; the results as shown. */
async function searchFor(visit: Visit, words: string) {
  await visit.page.fill('#search-input', words);
  await visit.page.press('#search-input', 'Enter');
  await visit.page.waitForFunction(() => {
    const status = (
      globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }
    ).document.getElementById('search-status').textContent;
    return status !== '' && status !== 'Searching…';
  });
  return visit.page.$$eval('#search-results li', (items) =>
    items.map((element) => {
      const item = element as unknown as ShownElement;
      return {
        title: item.querySelector('h2 a')?.textContent ?? '',
        href: item.querySelector('h2 a')?.getAttribute('href') ?? '',
        marks: Array.from(item.querySelectorAll('mark'), (mark) => mark.textContent),
        elements: Array.from(item.querySelectorAll('*'), (child) => child.tagName.toLowerCase()),
      };
    }),
  );
}

describe('search in Chromium, on the local stack', () => {
  useIsolatedStack(
    'feedwright-search-browser-',
    (started) => {
      ({ stack, s3 } = started);
    },
    { stack: () => ({ searchIndexIntervalMs: 100 }) },
  );

  beforeAll(async () => {
    for (const path of DIGESTS) {
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.incomingBucket,
          Key: `digests/${path.split('/').pop()}`,
          Body: await readFile(path),
        }),
      );
    }
    await stack.whenIdle();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("finds a story by a word of its body and leads to the story's page", async () => {
    // Prepare
    const visit = await open('search.html');

    // Act
    const results = await searchFor(visit, 'lawmakers');

    // Assess
    expect(results.map((result) => result.title)).toEqual([
      'Cover Story: The fight over China’s law to protect personal data',
    ]);
    expect(results[0]?.marks.map((mark) => mark?.toLowerCase())).toContain('lawmakers');
    expect(visit.page.url()).toContain('search.html?q=lawmakers');
    await visit.page.click('#search-results h2 a');
    await visit.page.waitForURL(/\/stories\//);
    expect(await visit.page.textContent('h1')).toBe(
      'Cover Story: The fight over China’s law to protect personal data',
    );
    // Pagefind's WebAssembly, worker and fetches ran under the search policy, with nothing refused.
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
  });

  it("finds a story from the search box in the header of the front page and of a story's page", async () => {
    // Prepare: a story page, reached as a reader would.
    const front = await open('index.html');
    const storyHref = await front.page.getAttribute('a[href*="stories/"]', 'href');
    const story = await open(
      new URL(storyHref ?? '', new URL('index.html', stack.siteUrl)).pathname.slice(1),
    );

    for (const visit of [front, story]) {
      // Act
      await visit.page.fill('header input[type="search"]', 'lawmakers');
      await visit.page.press('header input[type="search"]', 'Enter');
      await visit.page.waitForURL(/search\.html\?q=lawmakers$/);
      await visit.page.waitForSelector('#search-results li');

      // Assess
      expect(await visit.page.textContent('#search-results h2 a')).toBe(
        'Cover Story: The fight over China’s law to protect personal data',
      );
      expect(visit.consoleErrors).toEqual([]);
    }
  });

  it('searches from the address (search.html?q=…), as the search box of any page submits it', async () => {
    // Act
    const visit = await open('search.html?q=appreciates');
    await visit.page.waitForSelector('#search-results li');

    // Assess
    expect(await visit.page.inputValue('#search-input')).toBe('appreciates');
    expect(await visit.page.textContent('#search-results h2 a')).toBe(
      'China is about to expand pilot programs for outbound investment',
    );
    expect(visit.consoleErrors).toEqual([]);
  });

  it("shows a hostile story's headline and excerpt as text, running none of it", async () => {
    // Prepare
    const visit = await open('search.html');

    // Act
    const results = await searchFor(visit, 'paragraph');

    // Assess
    const hostile = results.find((result) => result.title.includes('takes over'));
    expect(hostile?.title).toBe('<img src=x onerror="window.__pwned=2"> takes over </title> the market');
    expect(new Set(results.flatMap((result) => result.elements))).toEqual(new Set(['h2', 'a', 'p', 'mark']));
    expect(visit.dialogs).toEqual([]);
    expect(await visit.page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  });

  it('says, without JavaScript, that search needs it and where to browse instead', async () => {
    // Act
    const visit = await open('search.html?q=lawmakers', { javaScriptEnabled: false });

    // Assess
    expect(await visit.page.textContent('#search-no-script')).toContain('Search needs JavaScript');
    expect(await visit.page.getAttribute('#search-no-script a[href="issues/index.html"]', 'href')).toBe(
      'issues/index.html',
    );
    expect(await visit.page.$$('#search-results li')).toHaveLength(0);
  });

  it('passes axe-core with results shown, and parse5 and html-validate as served', async () => {
    // Prepare
    const visit = await open('search.html');
    await searchFor(visit, 'data');

    // Act
    const results = await new AxeBuilder({ page: visit.page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const served = await (await fetch(new URL('search.html', stack.siteUrl))).text();

    // Assess
    expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
    expect(htmlProblems(served, { searchPage: true })).toEqual([]);
  });
});
