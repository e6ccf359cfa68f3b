import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS } from '@feedwright/local-stack';
import { asUsageError, type Command, UsageError } from '../command.ts';
import { EXIT, EXIT_STATUS_HELP } from '../command-line.ts';
import { LOCAL_DATA_DIR, runningStack } from '../running-stack.ts';
import type { StatusReport } from '../status/status.ts';

const LOCAL_HOST = 'http://127.0.0.1';

/** `feedwright status --help`. */
const STATUS_USAGE = `Usage: feedwright status [options]
       feedwright status --aws [--stack-name NAME] [--region R]

Shows what an operator looks at first: the last digests with their outcome (ingest's reports) and
freshness (how long after the upload render made them live), the failure queues' depths (AWS), and
the last reconcile with what it repaired. Reads a running 'feedwright dev' (npm start) by default.

Options:
  --aws                    a deployed stack: its outputs are read with CloudFormation DescribeStacks
  --stack-name NAME        with --aws                      default Feedwright
  --region R               with --aws                      default: the AWS SDK's
  --data-dir DIR           the data folder of the 'feedwright dev' to read: its endpoints are read
                           from DIR/endpoints.json         default ${LOCAL_DATA_DIR}
  --s3-endpoint URL        the local stack's S3 (s3rver)
                                         default the running dev's, else ${LOCAL_HOST}:${LOCAL_DEFAULTS.s3Port}
  --incoming-bucket NAME   the local stack's incoming bucket
                                         default the running dev's, else ${LOCAL_DEFAULTS.incomingBucket}
  --limit N                how many digests, newest first  default 10
  --json                   print the status as one JSON object
  -h, --help               show this help

${EXIT_STATUS_HELP}`;

/** What `feedwright status` was asked to show. */
export type StatusArguments = {
  readonly limit: number;
  readonly json: boolean;
} & (
  | { readonly target: 'local'; readonly s3Endpoint: string; readonly incomingBucket: string }
  | { readonly target: 'aws'; readonly stackName: string; readonly region: string | undefined }
);

/**
 * Reads the flags of `feedwright status`, and for the local stack the endpoints file of the
 * `feedwright dev` on `--data-dir`; bad flags throw a UsageError.
 */
export async function parseStatusArguments(argv: readonly string[]): Promise<StatusArguments> {
  const { values } = asUsageError(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        aws: { type: 'boolean' },
        'stack-name': { type: 'string' },
        region: { type: 'string' },
        'data-dir': { type: 'string' },
        's3-endpoint': { type: 'string' },
        'incoming-bucket': { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new UsageError(`--limit must be a whole number of digests, at least 1 (got ${values.limit})`);
  }
  const json = values.json === true;
  if (values.aws === true) {
    if (
      values['data-dir'] !== undefined ||
      values['s3-endpoint'] !== undefined ||
      values['incoming-bucket'] !== undefined
    ) {
      throw new UsageError(
        '--data-dir, --s3-endpoint and --incoming-bucket are for the local stack; --aws reads the stack outputs',
      );
    }
    return {
      target: 'aws',
      stackName: values['stack-name'] ?? 'Feedwright',
      region: values.region,
      limit,
      json,
    };
  }
  if (values['stack-name'] !== undefined || values.region !== undefined) {
    throw new UsageError('--stack-name and --region need --aws');
  }
  // The flags win over what the running stack recorded, which wins over the defaults.
  const running = await runningStack(values);
  const s3Endpoint = values['s3-endpoint'] ?? running?.s3Endpoint ?? `${LOCAL_HOST}:${LOCAL_DEFAULTS.s3Port}`;
  asUsageError(() => new URL(s3Endpoint));
  return {
    target: 'local',
    s3Endpoint,
    incomingBucket: values['incoming-bucket'] ?? running?.incomingBucket ?? LOCAL_DEFAULTS.incomingBucket,
    limit,
    json,
  };
}

/** The status of the local stack (s3rver) or of a deployed stack (its outputs, S3 and SQS). */
async function readStatus(args: StatusArguments): Promise<StatusReport> {
  const { collectStatus } = await import('../status/status.ts');
  const ports = await import('../status/ports.ts');
  if (args.target === 'local') {
    const { s3rverClient } = await import('@feedwright/local-stack');
    const s3 = s3rverClient(args.s3Endpoint);
    try {
      return await collectStatus({
        reports: ports.s3ReportReader(s3, args.incomingBucket),
        limit: args.limit,
      });
    } finally {
      s3.destroy();
    }
  }
  const [{ CloudFormationClient }, { S3Client }, { SQSClient }] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/client-sqs'),
  ]);
  const config = args.region === undefined ? {} : { region: args.region };
  const [cloudFormation, s3, sqs] = [
    new CloudFormationClient(config),
    new S3Client(config),
    new SQSClient(config),
  ];
  try {
    const outputs = await ports.readStackOutputs(cloudFormation, args.stackName);
    return await collectStatus({
      reports: ports.s3ReportReader(s3, outputs.incomingBucket),
      queues: {
        watched: [
          { name: 'ingest failures', url: outputs.ingestFailureQueueUrl },
          { name: 'render failures', url: outputs.renderFailureQueueUrl },
        ],
        gauge: ports.sqsQueueGauge(sqs),
      },
      limit: args.limit,
    });
  } finally {
    for (const client of [cloudFormation, s3, sqs]) client.destroy();
  }
}

/** `feedwright status`. */
export const statusCommand: Command = {
  summary: 'the last digests, their outcome and freshness, the failure queues, the last reconcile',
  usage: STATUS_USAGE,
  async run(argv) {
    const args = await parseStatusArguments(argv);
    let report: StatusReport;
    try {
      report = await readStatus(args);
    } catch (error) {
      const where =
        args.target === 'local'
          ? `the local stack at ${args.s3Endpoint} (is 'feedwright dev' running? pass its --data-dir, or --s3-endpoint, if it listens elsewhere)`
          : `stack ${args.stackName}`;
      process.stderr.write(
        `feedwright status: could not read ${where}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return EXIT.failed;
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const { formatStatus } = await import('../status/status.ts');
      process.stdout.write(`${formatStatus(report).join('\n')}\n`);
    }
    return EXIT.ok;
  },
};
