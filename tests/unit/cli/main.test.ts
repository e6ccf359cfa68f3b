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
    const run = await runFeedwright('publish');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'publish'");
  });

  it.each(['parse', 'build', 'dev', 'redrive', 'reconcile'])(
    'prints the %s command its own help',
    async (command) => {
      // Act
      const run = await runFeedwright(command, '--help');

      // Assess
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: feedwright ${command}`);
    },
  );
});
