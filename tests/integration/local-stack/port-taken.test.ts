import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeedwrightWith } from '../../support/cli.ts';
import { tempDir } from './support.ts';

describe('feedwright dev on a taken port', { timeout: 120_000 }, () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    work = await tempDir('feedwright-port-');
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await work.remove();
  });

  it.each(['--site-port', '--s3-port', '--dynamo-port', '--smtp-port'])(
    'names the port and %s, the flag that moves it, in one line (exit 3)',
    async (flag) => {
      // Prepare
      const ports = {
        '--site-port': '0',
        '--s3-port': '0',
        '--dynamo-port': '0',
        '--smtp-port': '0',
        [flag]: String(port),
      };

      // Act
      const run = await runFeedwrightWith(
        { POWERTOOLS_LOG_LEVEL: 'ERROR' },
        'dev',
        ...Object.entries(ports).flat(),
        ...[
          '--data-dir',
          join(work.path, flag),
          '--digests',
          join(work.path, 'none'),
          '--inbox',
          join(work.path, 'inbox'),
        ],
      );

      // Assess
      expect(run.code).toBe(3);
      const lines = run.stderr.split('\n').filter((line) => line.startsWith('feedwright dev:'));
      expect(lines).toEqual([
        `feedwright dev: port ${port} is already in use (another 'feedwright dev'?); stop it or choose another port with ${flag}`,
      ]);
      expect(run.stderr).not.toMatch(/EADDRINUSE|Unhandled 'error' event|\bat .+:\d+:\d+/);
    },
  );
});
