import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_STATUS_HELP } from '../../../packages/cli/src/command-line.ts';
import { HELP_LINE } from '../../../packages/cli/src/setting-flags.ts';
import { runFeedwright } from '../../support/cli.ts';

const SEED = 'tests/fixtures/digests/cx-daily-2020-12-01.txt';

/** Each command with arguments it accepts and one option that takes a value. */
const COMMANDS: ReadonlyArray<readonly [string, readonly string[], string, string]> = [
  ['parse', [SEED], '--timezone', 'TZ'],
  ['build', [SEED, '--out', 'unused'], '--base-url', 'URL'],
  ['dev', [], '--data-dir', 'DIR'],
  ['publish', [SEED], '--site-url', 'URL'],
  ['withdraw', ['digests/x.txt'], '--bucket', 'NAME'],
  ['reconcile', [], '--table', 'NAME'],
  [
    'redrive',
    ['--queue-url', 'https://sqs.us-east-1.amazonaws.com/1/q', '--function-name', 'f'],
    '--max',
    'N',
  ],
];

describe('Command: every feedwright command, one voice', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'feedwright-voice-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each(COMMANDS)('%s: an unknown option, the same words and exit 2', async (command, args) => {
    // Act
    const run = await runFeedwright(command, ...args, '--bogus');

    // Assess
    expect(run.code).toBe(EXIT.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `feedwright ${command}: unknown option '--bogus'\n${usageLineOf(command, run.stderr)}\n` +
        `Run 'feedwright ${command} --help' for every option.\n`,
    );
  });

  it.each(COMMANDS)(
    '%s: an option without its value, the same words and exit 2',
    async (command, args, flag, value) => {
      // Act
      const run = await runFeedwright(command, ...args, flag);

      // Assess
      expect(run.code).toBe(EXIT.usage);
      expect(run.stderr.split('\n')[0]).toBe(
        `feedwright ${command}: option '${flag}' needs a value: ${flag} ${value}`,
      );
    },
  );

  it.each(COMMANDS)('%s: the same -h, --help line and exit-status table in its help', async (command) => {
    // Act
    const run = await runFeedwright(command, '--help');

    // Assess
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout.split('\n')).toContain(HELP_LINE);
    expect(run.stdout).toContain(EXIT_STATUS_HELP);
  });

  it.each(['parse', 'publish'])(
    '%s: a folder or a missing file, the same words and exit 2',
    async (command) => {
      // Act
      const asFolder = await runFeedwright(command, folder);
      const missing = await runFeedwright(command, join(folder, 'nothing.txt'));

      // Assess
      expect(asFolder.code).toBe(EXIT.usage);
      expect(asFolder.stderr.split('\n')[0]).toBe(
        `feedwright ${command}: ${folder} is a folder; name a digest file`,
      );
      expect(missing.code).toBe(EXIT.usage);
      expect(missing.stderr.split('\n')[0]).toBe(
        `feedwright ${command}: no such file: ${join(folder, 'nothing.txt')}`,
      );
    },
  );

  it('build: a missing input, named before anything is built, exit 2', async () => {
    // Act
    const run = await runFeedwright('build', SEED, join(folder, 'gone'), '--out', join(folder, 'site'));

    // Assess
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr.split('\n')[0]).toBe(
      `feedwright build: no such file or folder: ${join(folder, 'gone')}`,
    );
  });
});

/** The command's usage line, as its error output repeats it (checked to be that line). */
function usageLineOf(command: string, stderr: string): string {
  const line = stderr.split('\n')[1] ?? '';
  expect(line.startsWith(`Usage: feedwright ${command}`)).toBe(true);
  return line;
}
