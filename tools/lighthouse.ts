/**
 * `npm run judge`: Lighthouse's scores (performance, accessibility, best practices, SEO) for the front
 * page, a topic's page, an issue and a story of the sample digests' site, on desktop and on a phone, in
 * Debian's Chromium. Prints a table and exits 1 if any score is under 95. Not part of `npm test`: the
 * scores are measured, not asserted by a timed test.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { startPreview } from './site-preview.ts';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const THRESHOLD = 95;

/** Debian's Chromium, headless, with DevTools on a free port; resolves that port. */
async function launchChromium(profile: string): Promise<{ port: number; process: ChildProcess }> {
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--disable-dev-shm-usage',
      `--user-data-dir=${profile}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${CHROMIUM} did not open DevTools: ${seen}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`${CHROMIUM} exited (${code}): ${seen}`)));
  });
  return { port, process: child };
}

const preview = await startPreview();
const profile = await mkdtemp(join(tmpdir(), 'feedwright-lighthouse-'));
const chromium = await launchChromium(profile);
const rows: string[][] = [];
let failed = false;
try {
  for (const [kind, path] of Object.entries(preview.pages)) {
    for (const device of ['desktop', 'mobile'] as const) {
      const url = new URL(path, preview.baseUrl).href;
      const result = await lighthouse(
        url,
        { port: chromium.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
        device === 'desktop' ? desktopConfig : undefined,
      );
      const categories = result?.lhr.categories ?? {};
      const scores = CATEGORIES.map((id) => Math.round((categories[id]?.score ?? 0) * 100));
      if (scores.some((score) => score < THRESHOLD)) {
        failed = true;
        for (const audit of Object.values(result?.lhr.audits ?? {})) {
          if (audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative') {
            console.error(`  ${kind} ${device}: ${audit.id} (${audit.score}) ${audit.displayValue ?? ''}`);
          }
        }
      }
      rows.push([kind, device, path, ...scores.map(String)]);
    }
  }
} finally {
  chromium.process.kill();
  await preview.close();
  await rm(profile, { recursive: true, force: true });
}

const header = ['page', 'device', 'path', ...CATEGORIES];
const widths = header.map((title, index) =>
  Math.max(title.length, ...rows.map((row) => row[index]?.length ?? 0)),
);
for (const row of [header, ...rows]) {
  console.log(row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  '));
}
if (failed) {
  console.error(`some score is under ${THRESHOLD}`);
  process.exitCode = 1;
}
