import { resolveTimeZone } from '@feedwright/digest';
import { LOCAL_DEFAULTS, type LocalEndpoints, S3RVER_CREDENTIALS } from '@feedwright/local-stack';
import { asUsageError, UsageError } from '../command.ts';
import { EXIT_STATUS_HELP, type OptionSpec, parseCommandLine, requireInputs } from '../command-line.ts';
import { runningStack } from '../running-stack.ts';
import { HELP_LINE } from '../setting-flags.ts';

/** Where `feedwright publish` and `withdraw` talk to: the local stack's endpoints, or AWS. */
export interface EditorTarget {
  /** The S3 endpoint; undefined on AWS (the SDK's own endpoint for the region). */
  readonly s3Endpoint: string | undefined;
  /** The DynamoDB endpoint a dry run reads; undefined on AWS. */
  readonly dynamoEndpoint: string | undefined;
  readonly bucket: string;
  /** The table a dry run reads; undefined on AWS without --table. */
  readonly table: string | undefined;
  /** Where the site is served (ends with '/'); stories are waited for there. */
  readonly siteUrl: string;
  /** Fixed credentials for the local stack; undefined: the SDK's default chain (env, profile…). */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  readonly region: string;
  readonly timeoutMs: number;
}

/** Options of `feedwright publish`. */
export interface PublishOptions extends EditorTarget {
  readonly files: readonly string[];
  readonly dryRun: boolean;
  /** Zone the digests' date lines are read in by a dry run (the stack's `digestTimezone`). */
  readonly timezone: string;
}

/** Options of `feedwright withdraw`. */
export interface WithdrawOptions extends EditorTarget {
  readonly keyOrFile: string;
}

const LOCAL_SITE = `http://127.0.0.1:${LOCAL_DEFAULTS.sitePort}/`;
const LOCAL_S3 = `http://127.0.0.1:${LOCAL_DEFAULTS.s3Port}`;
const LOCAL_DYNAMO = `http://127.0.0.1:${LOCAL_DEFAULTS.dynamoPort}`;
const DEFAULT_TIMEOUT_S = 60;

const TARGET_FLAGS = `  --aws                 talk to AWS: credentials and region from the usual AWS environment
                        or profile; --bucket and --site-url are then required
  --data-dir DIR        the data folder of the 'feedwright dev' to talk to: its endpoints are
                        read from DIR/endpoints.json       default .feedwright
  --s3-endpoint URL     S3 endpoint              default the running dev's, else ${LOCAL_S3}
  --bucket NAME         incoming bucket (stack output IncomingBucketName)
                                                          default ${LOCAL_DEFAULTS.incomingBucket}
  --site-url URL        the site (stack output SiteUrl)
                                                 default the running dev's, else ${LOCAL_SITE}
  --timeout S           seconds to wait for the outcome   default ${DEFAULT_TIMEOUT_S}
${HELP_LINE}`;

/** `feedwright publish --help`. */
export const PUBLISH_USAGE = `Usage: feedwright publish FILE... [options]

Uploads each digest to digests/<file name> in the incoming bucket, waits for ingest's report of
this upload, then until its stories are served by the site, and prints the outcome. A name that
the bucket cannot hold (its key or its report's key over S3's 1,024 bytes, or over the local S3's
233 bytes between slashes) or that is '.' or '..' is refused before anything is uploaded.

Options:
  --dry-run             upload nothing: parse and plan as ingest would and show what would be
                        added, updated (with the changed paragraphs), withdrawn, renamed and
                        shown from another digest, or the rejection
  --dynamo-endpoint URL DynamoDB endpoint a dry run reads
                                                 default the running dev's, else ${LOCAL_DYNAMO}
  --table NAME          table a dry run reads (stack output TableName)
                                                          default ${LOCAL_DEFAULTS.tableName}
  --timezone TZ         zone of the digests' date lines (the stack's digestTimezone), for
                        --dry-run                         default UTC
${TARGET_FLAGS}

${EXIT_STATUS_HELP} A rejected digest or name (the previous version stays live), or one published
with stories that show another digest's text (the message says which, and what to do), makes it 1.`;

/** `feedwright withdraw --help`. */
export const WITHDRAW_USAGE = `Usage: feedwright withdraw KEY_OR_FILE [options]

Deletes the digest object from the incoming bucket and waits until its stories are gone from the
site. A key under digests/ or mail/ (a mailed digest, e.g. mail/20261202-e77f….eml) is taken as
given; anything else is a file name, and its name without folders goes under digests/, where
publish put it. A key with a '.' or '..' part is refused before the bucket is touched.

Options:
${TARGET_FLAGS}

${EXIT_STATUS_HELP} No such digest, or a key no digest may have, makes it 1.`;

const TARGET_OPTIONS: Record<string, OptionSpec> = {
  aws: { type: 'boolean' },
  'data-dir': { type: 'string', placeholder: 'DIR' },
  's3-endpoint': { type: 'string', placeholder: 'URL' },
  bucket: { type: 'string', placeholder: 'NAME' },
  'site-url': { type: 'string', placeholder: 'URL' },
  timeout: { type: 'string', placeholder: 'S' },
};

/** Reads `feedwright publish`'s flags; bad flags throw a UsageError. */
export async function parsePublishOptions(argv: readonly string[]): Promise<PublishOptions> {
  const { values, args: positionals } = parseCommandLine(argv, {
    options: {
      ...TARGET_OPTIONS,
      'dry-run': { type: 'boolean' },
      'dynamo-endpoint': { type: 'string', placeholder: 'URL' },
      table: { type: 'string', placeholder: 'NAME' },
      timezone: { type: 'string', placeholder: 'TZ' },
    },
    args: { name: 'FILE: name at least one digest file', min: 1, max: Number.POSITIVE_INFINITY },
  });
  const running = await runningStack(values);
  const target = targetOf(values, running);
  const aws = values.aws === true;
  const dryRun = values['dry-run'] === true;
  const table = text(values, 'table') ?? (aws ? undefined : (running?.tableName ?? LOCAL_DEFAULTS.tableName));
  if (dryRun && table === undefined)
    throw new UsageError('--dry-run on AWS needs --table (stack output TableName)');
  const timezone: string = asUsageError(() =>
    resolveTimeZone(text(values, 'timezone') ?? running?.settings.digestTimezone ?? 'UTC'),
  );
  await requireInputs(positionals, { folders: false });
  return {
    ...target,
    dynamoEndpoint: aws ? undefined : url(values, 'dynamo-endpoint', running?.dynamoEndpoint ?? LOCAL_DYNAMO),
    table,
    files: positionals,
    dryRun,
    timezone,
  };
}

/** Reads `feedwright withdraw`'s flags; bad flags throw a UsageError. */
export async function parseWithdrawOptions(argv: readonly string[]): Promise<WithdrawOptions> {
  const { values, args: positionals } = parseCommandLine(argv, {
    options: TARGET_OPTIONS,
    args: { name: 'KEY_OR_FILE: name one digest, its key (digests/<name>) or its file', min: 1, max: 1 },
  });
  return {
    ...targetOf(values, await runningStack(values)),
    dynamoEndpoint: undefined,
    table: undefined,
    keyOrFile: positionals[0] ?? '',
  };
}

type Values = Record<string, string | boolean | undefined>;

function targetOf(
  values: Values,
  running: LocalEndpoints | undefined,
): Omit<EditorTarget, 'dynamoEndpoint' | 'table'> {
  const aws = values.aws === true;
  if (aws && values['s3-endpoint'] !== undefined)
    throw new UsageError('give --aws or --s3-endpoint, not both');
  const bucket =
    text(values, 'bucket') ?? (aws ? undefined : (running?.incomingBucket ?? LOCAL_DEFAULTS.incomingBucket));
  if (bucket === undefined) throw new UsageError('--aws needs --bucket (stack output IncomingBucketName)');
  const siteUrl = url(values, 'site-url', aws ? undefined : (running?.siteUrl ?? LOCAL_SITE));
  if (siteUrl === undefined) throw new UsageError('--aws needs --site-url (stack output SiteUrl)');
  const timeout = text(values, 'timeout');
  const seconds = timeout === undefined ? DEFAULT_TIMEOUT_S : Number(timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new UsageError(`--timeout must be a number of seconds from 1 to 3600, not '${timeout}'`);
  }
  const fromEnv = process.env.AWS_ACCESS_KEY_ID !== undefined && process.env.AWS_ACCESS_KEY_ID !== '';
  return {
    s3Endpoint: aws ? undefined : url(values, 's3-endpoint', running?.s3Endpoint ?? LOCAL_S3),
    bucket,
    siteUrl: siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`,
    // The local stack takes s3rver's key; AWS_ACCESS_KEY_ID and friends override it, as on AWS.
    credentials: aws || fromEnv ? undefined : S3RVER_CREDENTIALS,
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    timeoutMs: seconds * 1000,
  };
}

function text(values: Values, flag: string): string | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} needs a value`);
  return value;
}

function url(values: Values, flag: string, fallback: string | undefined): string | undefined {
  const value = text(values, flag) ?? fallback;
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`--${flag} must be an absolute http(s) URL, not '${value}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--${flag} must be an absolute http(s) URL, not '${value}'`);
  }
  return value;
}
