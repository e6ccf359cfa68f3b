import { readFileSync } from 'node:fs';

/** The seed digest of the shared fixtures. */
export const SEED = readFileSync(
  new URL('../../fixtures/digests/cx-daily-2020-12-01.txt', import.meta.url),
  'utf8',
);

/** The seed's story count (15: its expected JSON lists them). */
export const SEED_STORIES = 15;

/** The seed's cover story, in the Personal data topic. */
export const COVER_TITLE = 'Cover Story: The fight over China’s law to protect personal data';
export const COVER_ID = '2020-12-01-personal-data-cover-story-the-fight-over-china-s-law-to-protect';

/** The seed re-dated to `Dec <day>, 2020`: the same topics and titles, other story ids. */
export function seedOn(day: number): string {
  const date = `Dec ${String(day).padStart(2, '0')}, 2020`;
  return SEED.replace(/^Dec 01, 2020/, date);
}
