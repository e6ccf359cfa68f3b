import { describe, expect, it } from 'vitest';
import { runFeedwright } from '../../support/cli.ts';

describe('Command: feedwright', () => {
  it('lists its commands on --help and exits 0', async () => {
    // Act
    const run = await runFeedwright('--help');

    // Assess
    expect(run.code).toBe(0);
    for (const command of ['parse FILE', 'build FILE_OR_DIR', 'dev', 'redrive --queue-url', 'reconcile'])
      expect(run.stdout).toContain(command);
  });

  it('prints the usage on stderr and exits 2 with no command', async () => {
    // Act
    const run = await runFeedwright();

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: feedwright <command>');
  });

  it('names an unknown command and exits 2', async () => {
    // Act
    const run = await runFeedwright('publsh');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'publsh'");
  });

  it.each(['parse', 'build', 'dev', 'redrive', 'reconcile', 'publish', 'withdraw'])(
    'prints the %s command its own help',
    async (command) => {
      // Act
      const run = await runFeedwright(command, '--help');

      // Assess
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: feedwright ${command}`);
    },
  );

  it.each([
    [['publish'], /name at least one digest file/],
    [['publish', 'x.txt', '--aws'], /--aws needs --bucket/],
    [
      ['publish', 'x.txt', '--aws', '--bucket', 'b', '--site-url', 'https://f.example.com/', '--dry-run'],
      /--dry-run on AWS needs --table/,
    ],
    [['publish', 'x.txt', '--timeout', 'soon'], /--timeout must be a number of seconds/],
    [
      ['publish', 'x.txt', '--s3-endpoint', 'localhost:4569'],
      /--s3-endpoint must be an absolute http\(s\) URL/,
    ],
    [['withdraw'], /name one digest/],
  ])('exits 2 with a usage message for %j', async (args, message) => {
    // Act
    const run = await runFeedwright(...args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
