/** The digests the model test uploads: few keys, few stories, so that digests share story ids. */

/** Story slots: each digest holds some of them; the same slot in two digests is the same story id. */
export const STORY_SLOTS = [
  { topic: 'Law', title: 'Court rules on data transfers' },
  { topic: 'Law', title: 'Regulator fines an app maker' },
  { topic: 'Metals', title: 'Banks sell their gold reserves' },
  { topic: 'Trade', title: 'Ports reopen after the storm' },
] as const;

export const DIGEST_KEYS = [
  'digests/a.txt',
  'digests/b.txt',
  'digests/c d.txt',
  'digests/e.txt',
  'digests/f.txt',
] as const;

/** The date lines a digest may have: months apart, so that the archive has neighbour months to link. */
export const DIGEST_DATES = ['Dec 01, 2020', 'Jan 12, 2021', 'Mar 03, 2021', 'May 20, 2021'] as const;

/**
 * One version of a digest: which slots it holds, the text variant of their bodies, its date (an index
 * of `DIGEST_DATES`) and hour. Two digests share a story only on the same date.
 */
export interface DigestVersion {
  readonly slots: readonly number[];
  readonly variant: number;
  readonly day: number;
  readonly hour: number;
}

/** The digest text of a version; stories of a slot differ between variants only in their body. */
export function digestText(version: DigestVersion): string {
  const lines = [
    `${DIGEST_DATES[version.day] ?? DIGEST_DATES[0]} ${String(version.hour).padStart(2, '0')}:00 AM`,
    '',
    `Model Daily at ${version.hour}`,
    '',
    'A digest made by the model-based test.',
    '',
  ];
  for (const slot of [...new Set(version.slots)].sort()) {
    const story = STORY_SLOTS[slot];
    if (story === undefined) continue;
    lines.push(
      `${story.topic} /`,
      '',
      story.title,
      '',
      `${story.title}: body text, version ${version.variant}.`,
      '',
    );
  }
  return lines.join('\n');
}
