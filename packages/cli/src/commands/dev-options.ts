import { parseArgs } from 'node:util';
import { LOCAL_DEFAULTS, type LocalStackOptions } from '@feedwright/local-stack';
import { parseAllowedSenders } from '@feedwright/mail';
import { resolveSiteConfig } from '@feedwright/site';
import { asUsageError, UsageError } from '../command.ts';

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
  --allowed-senders LIST
                    only these senders may publish by mail: addresses and @domains,
                    comma-separated (a@x.com,@newsletter.example.com)  default anyone
  --data-dir DIR    emulator data, kept between runs         default .feedwright
  --digests DIR     sample digests uploaded at start         default events/digests
  --inbox DIR       drop folder: *.txt files put here are uploaded (created if missing)
                                                             default inbox
  --base-url URL    absolute URL of the site in feeds        default the site's local URL
  --timezone TZ     time zone of the digests' dates          default UTC
  --hub URL         WebSub hub: feeds advertise it, and it is notified of each changed feed
                                                             default none

Upload a digest with any S3 client, e.g.
  curl -T my-digest.txt http://127.0.0.1:${LOCAL_DEFAULTS.s3Port}/${LOCAL_DEFAULTS.incomingBucket}/digests/my-digest.txt
or mail it (the plain text as the message body) to any address at 127.0.0.1:${LOCAL_DEFAULTS.smtpPort}.
Ctrl-C stops it.`;

/** Reads the flags of `feedwright dev` into local-stack options; bad flags throw a UsageError. */
export function parseDevOptions(argv: readonly string[]): LocalStackOptions {
  const { values } = asUsageError(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'site-port': { type: 'string' },
        's3-port': { type: 'string' },
        'dynamo-port': { type: 'string' },
        'smtp-port': { type: 'string' },
        'allowed-senders': { type: 'string' },
        'data-dir': { type: 'string' },
        digests: { type: 'string' },
        inbox: { type: 'string' },
        'base-url': { type: 'string' },
        timezone: { type: 'string' },
        hub: { type: 'string' },
      },
    }),
  );
  return {
    sitePort: port(values, 'site-port'),
    s3Port: port(values, 's3-port'),
    dynamoPort: port(values, 'dynamo-port'),
    smtpPort: port(values, 'smtp-port'),
    allowedSenders: allowedSenders(values['allowed-senders']),
    dataDir: directory(values, 'data-dir'),
    digestsDir: directory(values, 'digests'),
    inboxDir: directory(values, 'inbox'),
    baseUrl: baseUrl(values['base-url']),
    timezone: timezone(values.timezone),
    hubUrl: hubUrl(values.hub),
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

function allowedSenders(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const { addresses, domains } = parseAllowedSenders(value);
    if (addresses.size + domains.size === 0) throw new Error('the list is empty');
  } catch (error) {
    throw new UsageError(`--allowed-senders: ${error instanceof Error ? error.message : String(error)}`);
  }
  return value;
}

function directory(values: Record<string, string | undefined>, flag: string): string | undefined {
  const value = values[flag];
  if (value === '') throw new UsageError(`--${flag} needs a directory`);
  return value;
}

function hubUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return resolveSiteConfig({ hubUrl: value }).hubUrl ?? undefined;
  } catch (error) {
    throw new UsageError(`--hub: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function baseUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url must be an absolute http(s) URL, not '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--base-url must be an absolute http(s) URL, not '${value}'`);
  }
  return url.href;
}

function timezone(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    throw new UsageError(`--timezone must be an IANA time zone such as Europe/Berlin or UTC, not '${value}'`);
  }
  return value;
}
