/**
 * `npm run screenshots`: the front page, a topic's page, an issue and a story of the sample digests'
 * site, at desktop and phone width, in Debian's Chromium, as PNGs in docs/screenshots/ (shown in
 * docs/site.md). The top of each page only (what a reader first sees), so the files stay small.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startPreview } from './site-preview.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORTS = {
  desktop: { width: 1024, height: 720, deviceScaleFactor: 1 },
  phone: { width: 375, height: 667, deviceScaleFactor: 1 },
} as const;

await mkdir(OUT, { recursive: true });
const preview = await startPreview();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  for (const [kind, path] of Object.entries(preview.pages)) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        deviceScaleFactor: viewport.deviceScaleFactor,
        colorScheme: 'light',
      });
      const page = await context.newPage();
      await page.goto(new URL(path, preview.baseUrl).href, { waitUntil: 'load' });
      const file = join(OUT, `${kind}-${device}.png`);
      await page.screenshot({ path: file });
      console.log(`${file} (${path === '' ? '/' : path})`);
      await context.close();
    }
  }
  // One page in dark mode, to show the colours follow the reader's setting.
  const dark = await browser.newContext({ viewport: VIEWPORTS.phone, colorScheme: 'dark' });
  const page = await dark.newPage();
  await page.goto(new URL(preview.pages.story, preview.baseUrl).href, { waitUntil: 'load' });
  await page.screenshot({ path: join(OUT, 'story-phone-dark.png') });
  await dark.close();
} finally {
  await browser.close();
  await preview.close();
}
