import { join, relative, resolve } from 'node:path';
import { ENDPOINTS_FILE, LOCAL_DEFAULTS, type LocalStack } from '@feedwright/local-stack';
import type { Command } from '../command.ts';
import { EXIT } from '../command-line.ts';
import { DEV_USAGE, parseDevOptions } from './dev-options.ts';

const REPEATED_SIGNAL_MS = 1_000;
const STOP_TIMEOUT_MS = 15_000;

/** `feedwright dev`: the local stack that `npm start` runs, until Ctrl-C. */
export const devCommand: Command = {
  summary: 'run the local stack (npm start)',
  usage: DEV_USAGE,
  async run(argv) {
    const options = parseDevOptions(argv);
    // EMF metric lines would drown the logs locally; set POWERTOOLS_METRICS_DISABLED=false to see them.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    const { startLocalStack } = await import('@feedwright/local-stack');
    const out = (line: string) => process.stdout.write(`${line}\n`);

    let stack: LocalStack;
    try {
      stack = await startLocalStack(options);
    } catch (error) {
      process.stderr.write(`feedwright dev: ${startupFailure(error, options)}\n`);
      return EXIT.failed;
    }

    const stopped = new Promise<void>((resolve) => {
      let stoppingSince: number | undefined;
      const stop = (signal: NodeJS.Signals) => {
        if (stoppingSince !== undefined) {
          // npm and npx forward the terminal's Ctrl-C to a process that already got it: only a
          // second press, not that echo, means "don't wait".
          if (Date.now() - stoppingSince < REPEATED_SIGNAL_MS) return;
          process.stderr.write(`feedwright dev: ${signal} again, exiting without waiting\n`);
          process.exit(130);
        }
        stoppingSince = Date.now();
        setTimeout(() => {
          process.stderr.write(`feedwright dev: still stopping after ${STOP_TIMEOUT_MS / 1000} s, exiting\n`);
          process.exit(1);
        }, STOP_TIMEOUT_MS).unref();
        out('stopping…');
        stack.close().then(resolve, (error: unknown) => {
          process.stderr.write(`feedwright dev: stopping failed: ${String(error)}\n`);
          resolve();
        });
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });

    out(`site: ${stack.siteUrl}`);
    out(`s3: ${stack.s3Endpoint}`);
    out(`s3-credentials: ${stack.credentials.accessKeyId} / ${stack.credentials.secretAccessKey}`);
    out(`dynamodb: ${stack.dynamoEndpoint}`);
    out(`incoming-bucket: ${stack.incomingBucket}`);
    out(`site-bucket: ${stack.siteBucket}`);
    out(`table: ${stack.tableName}`);
    out(`inbox: ${stack.inboxDir ?? '(none)'}`);
    out(`smtp: ${stack.smtpPort === null ? '(none)' : `${options.host ?? '127.0.0.1'}:${stack.smtpPort}`}`);
    out(`data: ${stack.dataDir}`);
    out(`base-url: ${stack.baseUrl}`);
    out(`hub: ${stack.site.hubUrl ?? '(none)'}`);
    out(`samples: ${stack.samples.length === 0 ? '(none)' : stack.samples.join(', ')}`);
    out(
      `endpoints: ${join(stack.dataDir, ENDPOINTS_FILE)} (publish, withdraw, reconcile and status read it)`,
    );
    out(`publish: npx feedwright publish my-digest.txt${dataDirFlag(stack.dataDir)}`);
    out(`upload: curl -T my-digest.txt ${stack.s3Endpoint}/${stack.incomingBucket}/digests/my-digest.txt`);
    if (stack.smtpPort !== null) {
      out(`mail: send the digest as a message's text to any address at 127.0.0.1:${stack.smtpPort}`);
    }

    const settled = await Promise.race([stack.whenIdle().then(() => true), stopped.then(() => false)]);
    for (const report of settled ? await stack.sampleReports() : []) {
      const detail = report.reason ?? (report.stories === undefined ? '' : `${report.stories} stories`);
      out(`sample: ${report.name} ${report.status}${detail === '' ? '' : ` (${detail})`}`);
    }
    if (settled) out(`ready: ${stack.siteUrl} (Ctrl-C stops)`);
    await stopped;
    out('stopped');
    return 0;
  },
};

/** A startup error as a person can act on it: a busy port names the flag that moves it. */
function startupFailure(error: unknown, options: ReturnType<typeof parseDevOptions>): string {
  const code = (error as { code?: unknown } | null)?.code;
  const port = (error as { port?: unknown } | null)?.port;
  if (code === 'EADDRINUSE' && typeof port === 'number') {
    const flag =
      port === options.s3Port || (options.s3Port === undefined && port === LOCAL_DEFAULTS.s3Port)
        ? '--s3-port'
        : port === options.dynamoPort ||
            (options.dynamoPort === undefined && port === LOCAL_DEFAULTS.dynamoPort)
          ? '--dynamo-port'
          : port === options.smtpPort || (options.smtpPort === undefined && port === LOCAL_DEFAULTS.smtpPort)
            ? '--smtp-port'
            : '--site-port';
    return `port ${port} is already in use (another 'feedwright dev'?); stop it or choose another port with ${flag}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The `--data-dir` a command needs to find this stack: none for the default folder. */
function dataDirFlag(dataDir: string): string {
  if (resolve(dataDir) === resolve('.feedwright')) return '';
  const shown = relative(process.cwd(), dataDir);
  return ` --data-dir ${shown === '' || shown.startsWith('..') ? dataDir : shown}`;
}
