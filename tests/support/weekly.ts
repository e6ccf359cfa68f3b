/**
 * A two-story weekly digest whose second story's headline is `mayor`: correcting that headline is an
 * editor's ordinary correction (the story's id changes; its old address redirects).
 */
export function weeklyText(mayor: string): string {
  return [
    'May 07, 2024 08:00 AM',
    '',
    'The Weekly: Budget passes',
    '',
    'Two stories from the week.',
    '',
    'Politics /',
    '',
    'Budget passes',
    '',
    'The budget passed on Monday by a wide margin.',
    '',
    'City /',
    '',
    mayor,
    '',
    'The mayor stepped down on Tuesday, citing health reasons, after ten years in office.',
    '',
  ].join('\n');
}
