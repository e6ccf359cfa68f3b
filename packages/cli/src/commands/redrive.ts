import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { EXIT, EXIT_STATUS_HELP, parseCommandLine } from '../command-line.ts';
import type { RedriveArguments } from '../redrive/aws.ts';
import { HELP_LINE } from '../setting-flags.ts';

const usage = `Usage: feedwright redrive --queue-url URL --function-name NAME [--max N] [--dry-run] [--region R]

Re-runs the work parked on one of feedwright's failure queues on AWS, once its cause is fixed, and
deletes each message whose re-run succeeded. The stack's IngestRedriveCommand and
RenderRedriveCommand outputs print the command ready to run.

- Ingest failure queue: each message is Lambda's on-failure record of an S3 notification that
  failed every retry; its original event is invoked again, synchronously.
- Render failure queue: each message names a stretch of the table's stream; its records are read
  back from the stream (kept 24 hours) and invoked again as one batch. An older message stays on
  the queue and is reported.

Options:
  --queue-url URL       the failure queue (IngestFailureQueueUrl / RenderFailureQueueUrl)
  --function-name NAME  the function to re-run the work on
  --max N               stop after N messages (default 100)
  --dry-run             describe what would be re-run; invoke and delete nothing
  --region R            default: the queue URL's region, else the AWS SDK's
${HELP_LINE}

${EXIT_STATUS_HELP} Something left on the queue makes it 1.`;

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` names its region. */
function regionOfQueueUrl(queueUrl: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(queueUrl)?.[1];
}

/** Reads the flags of `feedwright redrive`; bad flags throw a UsageError. */
export function parseRedriveArguments(argv: readonly string[]): RedriveArguments {
  const { values } = parseCommandLine(argv, {
    options: {
      'queue-url': { type: 'string', placeholder: 'URL' },
      'function-name': { type: 'string', placeholder: 'NAME' },
      max: { type: 'string', placeholder: 'N' },
      'dry-run': { type: 'boolean' },
      region: { type: 'string', placeholder: 'R' },
    },
  });
  const queueUrl = values['queue-url'];
  const functionName = values['function-name'];
  if (typeof queueUrl !== 'string' || typeof functionName !== 'string') {
    throw new UsageError('--queue-url and --function-name are both required');
  }
  const max = values.max;
  const maxMessages = typeof max === 'string' ? Number(max) : 100;
  if (!Number.isSafeInteger(maxMessages) || maxMessages < 1) {
    throw new UsageError(`--max must be a whole number of messages, at least 1 (got ${String(max)})`);
  }
  const region = values.region;
  return {
    queueUrl,
    functionName,
    maxMessages,
    dryRun: values['dry-run'] === true,
    region: typeof region === 'string' ? region : regionOfQueueUrl(queueUrl),
  };
}

/** `feedwright redrive`: re-runs a failure queue's work on AWS. */
export const redriveCommand: Command = {
  summary: 're-run what landed on a failure queue (AWS)',
  usage,
  async run(argv) {
    const args = parseRedriveArguments(argv);
    // The AWS SDK clients load only for a real run, so --help and bad flags stay fast.
    const { runRedrive } = await import('../redrive/aws.ts');
    const summary = await runRedrive(args);
    return summary.received === summary.redriven || args.dryRun ? EXIT.ok : EXIT.refused;
  },
};
