/** The digests the model test uploads: few keys, few stories, so that digests share story ids. */

/** Story slots: each digest holds some of them; the same slot in two digests is the same story id. */
export const STORY_SLOTS = [
  { topic: 'Law', title: 'Court rules on data transfers' },
  { topic: 'Law', title: 'Regulator fines an app maker' },
  { topic: 'Metals', title: 'Banks sell their gold reserves' },
  { topic: 'Trade', title: 'Ports reopen after the storm' },
] as const;

export const DIGEST_KEYS = ['digests/a.txt', 'digests/b.txt', 'digests/c d.txt'] as const;

/** One version of a digest: which slots it holds, the text variant of their bodies, its hour. */
export interface DigestVersion {
  readonly slots: readonly number[];
  readonly variant: number;
  readonly hour: number;
}

/** The digest text of a version; stories of a slot differ between variants only in their body. */
export function digestText(version: DigestVersion): string {
  const lines = [
    `Dec 01, 2020 ${String(version.hour).padStart(2, '0')}:00 AM`,
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
