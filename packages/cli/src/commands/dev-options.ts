import { LOCAL_DEFAULTS, type LocalStackOptions } from '@feedwright/local-stack';
import { UsageError } from '../command.ts';
import { EXIT_STATUS_HELP, parseCommandLine } from '../command-line.ts';
import { HELP_LINE, readSettingFlags, SITE_FLAGS, settingHelp, settingOptions } from '../setting-flags.ts';

/** The settings `feedwright dev` takes as flags: the site's and the pipeline's. */
const DEV_SETTINGS = [...SITE_FLAGS, 'digestTimezone', 'maxDigestBytes', 'allowedSenders'] as const;

/** `feedwright dev --help`. */
export const DEV_USAGE = `Usage: feedwright dev [options]

Runs the service on this machine: S3 (s3rver) and DynamoDB (dynalite) in-process, the real ingest
and render handlers fed the events AWS would send, and the site served like CloudFront would.

Options:
  --site-port N     the site (CloudFront stand-in)          default ${LOCAL_DEFAULTS.sitePort}
  --s3-port N       the S3 endpoint                          default ${LOCAL_DEFAULTS.s3Port}
  --dynamo-port N   the DynamoDB endpoint                    default ${LOCAL_DEFAULTS.dynamoPort}
  --smtp-port N     the SMTP server that takes mailed digests default ${LOCAL_DEFAULTS.smtpPort}
                    (0 picks a free port)
  --data-dir DIR    emulator data, kept between runs         default .feedwright
  --digests DIR     sample digests uploaded at start         default events/digests
  --inbox DIR       drop folder: *.txt files put here are uploaded (created if missing)
                                                             default inbox
  --json-logs       the functions' logs as the JSON CloudWatch gets (on stdout), not one
                    short line each
${HELP_LINE}

Settings (docs/operations.md):
${settingHelp(DEV_SETTINGS)}

Upload a digest with any S3 client, e.g.
  curl -T my-digest.txt http://127.0.0.1:${LOCAL_DEFAULTS.s3Port}/${LOCAL_DEFAULTS.incomingBucket}/digests/my-digest.txt
or mail it (the plain text as the message body) to any address at 127.0.0.1:${LOCAL_DEFAULTS.smtpPort}.
Ctrl-C stops it.

${EXIT_STATUS_HELP}`;

/** Reads the flags of `feedwright dev` into local-stack options; bad flags throw a UsageError. */
export function parseDevOptions(argv: readonly string[]): LocalStackOptions {
  const { values: parsed } = parseCommandLine(argv, {
    options: {
      'site-port': { type: 'string', placeholder: 'N' },
      's3-port': { type: 'string', placeholder: 'N' },
      'dynamo-port': { type: 'string', placeholder: 'N' },
      'smtp-port': { type: 'string', placeholder: 'N' },
      'data-dir': { type: 'string', placeholder: 'DIR' },
      digests: { type: 'string', placeholder: 'DIR' },
      inbox: { type: 'string', placeholder: 'DIR' },
      'json-logs': { type: 'boolean' },
      ...settingOptions(DEV_SETTINGS),
    },
  });
  const { 'json-logs': jsonLogs, ...strings } = parsed as Record<string, string | boolean | undefined>;
  const values = strings as Record<string, string | undefined>;
  const { digestTimezone, maxDigestBytes, allowedSenders, ...site } = readSettingFlags(DEV_SETTINGS, values);
  return {
    sitePort: port(values, 'site-port'),
    s3Port: port(values, 's3-port'),
    dynamoPort: port(values, 'dynamo-port'),
    smtpPort: port(values, 'smtp-port'),
    dataDir: directory(values, 'data-dir'),
    digestsDir: directory(values, 'digests'),
    inboxDir: directory(values, 'inbox'),
    handlerLogs: jsonLogs === true ? 'json' : undefined,
    site: Object.keys(site).length === 0 ? undefined : site,
    digestTimezone,
    maxDigestBytes,
    allowedSenders,
  };
}

function port(values: Record<string, string | undefined>, flag: string): number | undefined {
  const value = values[flag];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65_535) {
    throw new UsageError(
      `--${flag} must be a port number from 0 to 65535 (0 picks a free one), not '${value}'`,
    );
  }
  return parsed;
}

function directory(values: Record<string, string | undefined>, flag: string): string | undefined {
  const value = values[flag];
  if (value === '') throw new UsageError(`--${flag} needs a directory`);
  return value;
}
