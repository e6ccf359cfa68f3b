import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalStack } from '@feedwright/local-stack';
import { describe, expect, it } from 'vitest';
import { runFeedwrightWith } from '../../support/cli.ts';
import { type tempDir, useIsolatedStack } from '../local-stack/support.ts';

const LOCAL_ENV = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined };

/** A four-story weekly; `rates` replaces the third story's body, `mayor` the fourth's headline. */
function weeklyText(options: { rates?: string; mayor?: string } = {}): string {
  const section = (topic: string, title: string, body: string) => [`${topic} /`, '', title, '', body, ''];
  return [
    'May 07, 2024 08:00 AM',
    '',
    'The Weekly: Budget passes',
    '',
    'Four stories from the week.',
    '',
    ...section('Politics', 'Budget passes', 'The budget passed on Monday by a wide margin.'),
    ...section('Transport', 'Port reopens', 'The port reopened on Monday after the storm.'),
    ...section('Economy', 'Rates hold', options.rates ?? 'The bank held rates at 4 per cent.'),
    ...section(
      'City',
      options.mayor ?? 'Mayor resigns',
      'The mayor stepped down on Tuesday, citing health reasons, after ten years in office.',
    ),
  ].join('\n');
}

const COUNTS = /\((\d+ added, \d+ updated, \d+ withdrawn, \d+ unchanged)\)/;

// Each test runs the CLI a few times (a tsx start each): generous budgets for a loaded machine.
describe('feedwright publish: an editor’s corrections', { timeout: 180_000 }, () => {
  let stack: LocalStack;
  let work: Awaited<ReturnType<typeof tempDir>>;

  const feedwright = (...args: string[]) =>
    runFeedwrightWith(
      LOCAL_ENV,
      ...args,
      '--s3-endpoint',
      stack.s3Endpoint,
      ...(args[0] === 'withdraw' ? [] : ['--dynamo-endpoint', stack.dynamoEndpoint]),
      '--site-url',
      stack.siteUrl,
      '--timeout',
      '80',
    );
  const pageText = async (storyId: string) => {
    const response = await fetch(new URL(`stories/${storyId}.html`, stack.siteUrl));
    return response.status === 200 ? response.text() : `HTTP ${response.status}`;
  };

  useIsolatedStack(
    'feedwright-corrections-',
    (started) => {
      ({ stack, work } = started);
    },
    { level: 'WARN' },
  );

  it('a corrected copy under a new name: the dry run predicts ingest’s counts, and publish says at once which digest gives the text and what to do', async () => {
    // Prepare
    await mkdir(join(work.path, 'weekly'), { recursive: true });
    const first = join(work.path, 'weekly', 'weekly-2024-05-07.txt');
    const copy = join(work.path, 'weekly', 'weekly-2024-05-07v2.txt');
    await writeFile(first, weeklyText());
    await writeFile(copy, weeklyText({ rates: 'The bank held rates at 4.5 per cent.' }));
    const other = join(work.path, 'weekly', 'weekly-2024-05-14.txt');
    await writeFile(other, weeklyText().replace('May 07, 2024', 'May 14, 2024'));
    const published = await feedwright('publish', first);
    expect(published.code, published.stderr).toBe(0);

    // Act
    const dry = await feedwright('publish', '--dry-run', copy);
    const run = await feedwright('publish', copy, other);

    // Assess: the dry run said what ingest then did, and both told whose text shows.
    expect(dry.code, dry.stderr).toBe(0);
    expect(run.stderr).not.toContain('timed out');
    expect(run.code, run.stderr).toBe(1);
    const copyLine = run.stdout.split('\n').find((line) => line.startsWith(`${copy}: published:`)) ?? '';
    expect(COUNTS.exec(copyLine)?.[1]).toBe('0 added, 0 updated, 0 withdrawn, 4 unchanged');
    expect(COUNTS.exec(dry.stdout)?.[1]).toBe(COUNTS.exec(copyLine)?.[1]);
    const held =
      `1 story shows the text of weekly-2024-05-07.txt, not this file's (the same date line, ` +
      `and "weekly-2024-05-07.txt" sorts before "weekly-2024-05-07v2.txt")`;
    expect(dry.stdout).toContain(`  ! ${held}:`);
    expect(dry.stdout).toContain('Rates hold (2024-05-07-economy-rates-hold)');
    expect(run.stderr).toContain(`feedwright: ${copy}: ${held}:`);
    expect(run.stderr).toContain(
      "to show this file's text: withdraw the other copy (feedwright withdraw weekly-2024-05-07.txt), " +
        'or publish this file as weekly-2024-05-07.txt',
    );
    expect(await pageText('2024-05-07-economy-rates-hold')).toContain('4 per cent');
    expect(run.stdout.trim().split('\n').at(-1)).toBe(
      "2 files: 2 published (1 with stories showing another digest's text), 0 rejected, 0 failed",
    );
  });

  it('following that advice, withdrawing the first copy, shows the corrected copy’s text', async () => {
    // Act
    const run = await feedwright('withdraw', 'weekly-2024-05-07.txt');

    // Assess
    expect(run.code, run.stderr).toBe(0);
    await stack.whenIdle();
    expect(await pageText('2024-05-07-economy-rates-hold')).toContain('4.5 per cent');
  });

  it('a corrected headline in a re-upload of the same digest is named as such before publishing, and after', async () => {
    // Prepare
    const file = join(work.path, 'weekly', 'weekly-2024-05-07v2.txt');
    await writeFile(
      file,
      weeklyText({ rates: 'The bank held rates at 4.5 per cent.', mayor: 'Mayor resigns after ten years' }),
    );

    // Act
    const dry = await feedwright('publish', '--dry-run', file);
    const run = await feedwright('publish', file);

    // Assess
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('  ~ headline changed: Mayor resigns → Mayor resigns after ten years');
    expect(dry.stdout).not.toContain('+ added');
    expect(dry.stdout).not.toContain('- withdrawn');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('  ~ headline changed: Mayor resigns → Mayor resigns after ten years');
    expect(COUNTS.exec(dry.stdout)?.[1]).toBe(COUNTS.exec(run.stdout)?.[1]);
  });
});
