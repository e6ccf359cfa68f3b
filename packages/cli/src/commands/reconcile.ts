import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SETTINGS } from '@feedwright/config';
import { LOCAL_DEFAULTS, readStackSettings, s3rverClient, stackSettingsPath } from '@feedwright/local-stack';
import { parseAllowedSenders, type SenderPolicy } from '@feedwright/mail';
import { reconcile } from '@feedwright/pipeline';
import { resolveSiteConfig, type SiteConfig, SiteConfigError } from '@feedwright/site';
import {
  createDynamoIssueRegistry,
  createDynamoStoryStore,
  S3DigestSource,
  S3SiteStore,
} from '@feedwright/storage';
import { type Command, UsageError } from '../command.ts';
import { EXIT, EXIT_STATUS_HELP, parseCommandLine } from '../command-line.ts';
import { runningStack } from '../running-stack.ts';
import { HELP_LINE, readSettingFlags, SITE_FLAGS, settingHelp, settingOptions } from '../setting-flags.ts';

/** The settings `feedwright reconcile` takes as flags: those `feedwright dev` was started with. */
const RECONCILE_SETTINGS = [...SITE_FLAGS, 'digestTimezone', 'maxDigestBytes', 'allowedSenders'] as const;

const LOCAL_HOST = 'http://127.0.0.1';

/** `feedwright reconcile --help`. */
export const RECONCILE_USAGE = `Usage: feedwright reconcile [options]

Makes the table match the incoming bucket and the site bucket match the live stories, whatever lost
events, retries or crashes left behind: current digests the table does not record are applied again,
digests with no current object withdrawn, missing or stale site files written, extra ones deleted.
Changes nothing when all agree. Talks to a running 'feedwright dev' (npm start) by default; on AWS,
invoke the stack's reconcile function instead (see docs/architecture.md, "Reconcile").

Options:
  --data-dir DIR           the data folder of the 'feedwright dev' to talk to: its endpoints and
                           settings are read from DIR/endpoints.json, its allowed senders from
                           DIR/settings.json (neither they nor --allowed-senders: mailed digests
                           are left as they are)            default .feedwright
  --s3-endpoint URL        S3 (s3rver)                     default ${LOCAL_HOST}:${LOCAL_DEFAULTS.s3Port}
  --dynamo-endpoint URL    DynamoDB (dynalite)             default ${LOCAL_HOST}:${LOCAL_DEFAULTS.dynamoPort}
  --incoming-bucket NAME   default ${LOCAL_DEFAULTS.incomingBucket}
  --site-bucket NAME       default ${LOCAL_DEFAULTS.siteBucket}
  --table NAME             default ${LOCAL_DEFAULTS.tableName}

${HELP_LINE}

Settings (docs/operations.md); default: those of the running 'feedwright dev':
${settingHelp(RECONCILE_SETTINGS)}

Prints what it changed, one line each, then a summary.

${EXIT_STATUS_HELP}`;

/** The options of `feedwright reconcile`. */
export interface ReconcileOptions {
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly incomingBucket: string;
  readonly siteBucket: string;
  readonly tableName: string;
  /** The site's settings, as `feedwright dev` has them. */
  readonly site: SiteConfig;
  readonly digestTimezone: string;
  readonly maxDigestBytes: number;
  /** As `feedwright dev --allowed-senders`; undefined: the list the stack recorded in `dataDir`. */
  readonly allowedSenders?: string;
  /** The stack's data folder, where `feedwright dev` records its settings. */
  readonly dataDir: string;
}

/** Reads the flags of `feedwright reconcile`; bad flags throw a UsageError. */
export async function parseReconcileOptions(argv: readonly string[]): Promise<ReconcileOptions> {
  const { values: parsed } = parseCommandLine(argv, {
    options: {
      'data-dir': { type: 'string', placeholder: 'DIR' },
      's3-endpoint': { type: 'string', placeholder: 'URL' },
      'dynamo-endpoint': { type: 'string', placeholder: 'URL' },
      'incoming-bucket': { type: 'string', placeholder: 'NAME' },
      'site-bucket': { type: 'string', placeholder: 'NAME' },
      table: { type: 'string', placeholder: 'NAME' },
      ...settingOptions(RECONCILE_SETTINGS),
    },
  });
  const values = parsed as Record<string, string | undefined>;
  // The running `feedwright dev` of this data folder: its endpoints, and the settings it renders with.
  const running = await runningStack(values);
  const { digestTimezone, maxDigestBytes, allowedSenders, ...siteValues } = readSettingFlags(
    RECONCILE_SETTINGS,
    values,
  );
  let site: SiteConfig;
  try {
    // The local stack's own URL is the base URL of a `feedwright dev` given none.
    site = resolveSiteConfig({
      baseUrl: `${LOCAL_HOST}:${LOCAL_DEFAULTS.sitePort}/`,
      ...running?.settings.site,
      ...siteValues,
    });
  } catch (error) {
    if (error instanceof SiteConfigError) throw new UsageError(error.message);
    throw error;
  }
  const senders = allowedSenders ?? running?.settings.allowedSenders;
  return {
    ...(senders === undefined ? {} : { allowedSenders: senders }),
    s3Endpoint: url(
      values['s3-endpoint'] ?? running?.s3Endpoint ?? `${LOCAL_HOST}:${LOCAL_DEFAULTS.s3Port}`,
      '--s3-endpoint',
    ),
    dynamoEndpoint: url(
      values['dynamo-endpoint'] ?? running?.dynamoEndpoint ?? `${LOCAL_HOST}:${LOCAL_DEFAULTS.dynamoPort}`,
      '--dynamo-endpoint',
    ),
    incomingBucket: values['incoming-bucket'] ?? running?.incomingBucket ?? LOCAL_DEFAULTS.incomingBucket,
    siteBucket: values['site-bucket'] ?? running?.siteBucket ?? LOCAL_DEFAULTS.siteBucket,
    tableName: values.table ?? running?.tableName ?? LOCAL_DEFAULTS.tableName,
    site,
    digestTimezone:
      digestTimezone ?? running?.settings.digestTimezone ?? SETTINGS.digestTimezone.defaultValue ?? 'UTC',
    maxDigestBytes:
      maxDigestBytes ?? running?.settings.maxDigestBytes ?? SETTINGS.maxDigestBytes.defaultValue ?? 0,
    dataDir: values['data-dir'] ?? '.feedwright',
  };
}

/**
 * The local stack's mail rule for a repair: trusted (nothing checks SPF or DKIM locally), with the
 * allow-list given, else the one the stack recorded when it started; never "anyone" by default.
 * `undefined` when neither is known: reconcile then re-applies no mail (ingest refuses it).
 */
async function senderPolicyOf(options: ReconcileOptions): Promise<SenderPolicy | undefined> {
  let list: string | null | undefined = options.allowedSenders;
  if (list === undefined) {
    try {
      list = (await readStackSettings(options.dataDir))?.allowedSenders;
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    if (list === undefined) return undefined;
  }
  return { verdicts: 'trusted', ...(list === null ? {} : { allowedSenders: parseAllowedSenders(list) }) };
}

function url(value: string, flag: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new UsageError(`${flag} must be an http(s) URL, not '${value}'`);
  }
  return value;
}

/** `feedwright reconcile`: one reconcile against the local stack (or the endpoints given). */
export const reconcileCommand: Command = {
  summary: 'make the table and the site match the incoming bucket',
  usage: RECONCILE_USAGE,
  async run(argv) {
    const options = await parseReconcileOptions(argv);
    const s3 = s3rverClient(options.s3Endpoint);
    const dynamo = new DynamoDBClient({
      endpoint: options.dynamoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const mail = await senderPolicyOf(options);
    if (mail === undefined) {
      out(
        `mail: no settings recorded in ${stackSettingsPath(options.dataDir)} and no --allowed-senders: mailed digests are left as they are`,
      );
    }
    try {
      const result = await reconcile({
        source: new S3DigestSource({ client: s3 }),
        incomingBucket: options.incomingBucket,
        stories: createDynamoStoryStore({ tableName: options.tableName, client: dynamo }),
        issues: createDynamoIssueRegistry({ tableName: options.tableName, client: dynamo }),
        site: new S3SiteStore({ bucket: options.siteBucket, client: s3 }),
        config: options.site,
        timezone: options.digestTimezone,
        maxDigestBytes: options.maxDigestBytes,
        ...(mail === undefined ? {} : { mail }),
      });
      for (const key of result.reapplied) out(`re-applied: ${key}`);
      for (const key of result.withdrawn) out(`withdrawn: ${key}`);
      for (const path of result.written) out(`written: ${path}`);
      for (const path of result.deleted) out(`deleted: ${path}`);
      out(
        `reconciled: ${result.digests} digests; re-applied ${result.reapplied.length}, withdrew ` +
          `${result.withdrawn.length}; site: wrote ${result.written.length}, deleted ${result.deleted.length}, ` +
          `unchanged ${result.unchanged}${result.firstSite ? ' (the first site: no digest yet)' : ''}`,
      );
      return EXIT.ok;
    } catch (error) {
      process.stderr.write(
        `feedwright reconcile: ${error instanceof Error ? error.message : String(error)} ` +
          `(is 'feedwright dev' running at ${options.s3Endpoint} and ${options.dynamoEndpoint}?)\n`,
      );
      return EXIT.failed;
    } finally {
      s3.destroy();
      dynamo.destroy();
    }
  },
};
