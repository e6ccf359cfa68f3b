import { resolveSiteConfig, type SiteConfig } from '@feedwright/site';
import { ConfigError, closestName, messageOf } from './setting.ts';
import {
  type PipelineSettings,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  type SettingValues,
  SITE_SETTING_NAMES,
} from './settings.ts';

/**
 * Checks one given value of a setting; a refusal names `source` (the flag, the variable, the context
 * key) and what the setting accepts, in the same words wherever the value came from.
 * @throws ConfigError
 */
export function checkSetting<K extends SettingName>(name: K, raw: string, source: string): SettingValues[K] {
  const setting = SETTINGS[name];
  try {
    return setting.check(raw) as SettingValues[K];
  } catch (error) {
    const message = messageOf(error);
    throw new ConfigError(`${source}${/^(must|names) /.test(message) ? ' ' : ': '}${message}`);
  }
}

/** The text of a value, as an environment variable carries it. */
function textOf<K extends SettingName>(name: K, value: SettingValues[K]): string {
  const setting = SETTINGS[name];
  return setting.toText === undefined ? String(value) : setting.toText(value as never);
}

// ---------------------------------------------------------------------------------------------------
// Environment (the Lambda handlers)

/** The values of `names` that are set in `env` (empty counts as unset), each checked. */
function readEnvironment<K extends SettingName>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Partial<Pick<SettingValues, K>> {
  const values: Partial<Pick<SettingValues, K>> = {};
  for (const name of names) {
    const variable = SETTINGS[name].env;
    const raw = variable === undefined ? undefined : env[variable];
    if (variable === undefined || raw === undefined || raw === '') continue;
    values[name] = checkSetting(name, raw, `environment variable ${variable}`);
  }
  return values;
}

/**
 * The site configuration of a function that renders (render, reconcile, …), from the SITE_* and
 * feed variables the stack sets alike on each of them. The base URL is required: a function without
 * it would write the local stack's URLs into public feeds.
 * @throws ConfigError naming the variable.
 */
export function siteConfigFromEnvironment(env: NodeJS.ProcessEnv = process.env): SiteConfig {
  const values = readEnvironment(SITE_SETTING_NAMES, env);
  if (values.baseUrl === undefined) {
    throw new ConfigError(
      `environment variable ${SETTINGS.baseUrl.env} is not set; the stack sets it on every function that renders`,
    );
  }
  return resolveSiteConfig(values);
}

/** How a function that reads digests reads them; `allowedSenders` only when mail is set up. */
export interface DigestReading {
  readonly maxDigestBytes: number;
  readonly digestTimezone: string;
  readonly allowedSenders?: string;
}

/** The pipeline's settings of a function that reads digests (ingest, reconcile), defaults filled in. */
export function digestReadingFromEnvironment(env: NodeJS.ProcessEnv = process.env): DigestReading {
  const values = readEnvironment(['maxDigestBytes', 'digestTimezone', 'allowedSenders'], env);
  return {
    maxDigestBytes: values.maxDigestBytes ?? SETTINGS.maxDigestBytes.defaultValue ?? 0,
    digestTimezone: values.digestTimezone ?? SETTINGS.digestTimezone.defaultValue ?? 'UTC',
    ...(values.allowedSenders === undefined ? {} : { allowedSenders: values.allowedSenders }),
  };
}

/**
 * The environment of every function that renders: each site setting, defaults included (so the
 * console shows what the function uses), checked; `baseUrl` is passed through as given because on
 * AWS it is a deploy-time token (the distribution's domain). A site without a hub gets no
 * SITE_HUB_URL.
 * @throws ConfigError naming the setting.
 */
export function siteEnvironment(
  values: Partial<Omit<SiteConfig, 'baseUrl'>>,
  baseUrl: string,
): Record<string, string> {
  // Checked and completed by the site package itself; the token base URL is set aside meanwhile.
  const { baseUrl: _token, ...rest } = values as Partial<SiteConfig>;
  const resolved = resolveSiteConfig(rest);
  const environment: Record<string, string> = {};
  for (const name of SITE_SETTING_NAMES) {
    const variable = SETTINGS[name].env;
    if (variable === undefined) continue;
    if (name === 'baseUrl') environment[variable] = baseUrl;
    else if (resolved[name] !== null) environment[variable] = textOf(name, resolved[name]);
  }
  return environment;
}

/** The environment of every function that reads digests: size limit and time zone, defaults included. */
export function digestReadingEnvironment(
  values: Partial<Pick<PipelineSettings, 'maxDigestBytes' | 'digestTimezone'>>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const name of ['maxDigestBytes', 'digestTimezone'] as const) {
    const variable = SETTINGS[name].env;
    const value = values[name] ?? SETTINGS[name].defaultValue;
    if (variable !== undefined && value !== undefined) environment[variable] = textOf(name, value);
  }
  return environment;
}

// ---------------------------------------------------------------------------------------------------
// CDK context

/** The context keys `cdk synth|deploy -c key=value` accepts. */
export const CONTEXT_KEYS: readonly SettingName[] = SETTING_NAMES.filter((name) => SETTINGS[name].context);

/**
 * Reads the settings from a CDK app's context (`app.node.getAllContext()`): every value a string,
 * checked as the flags and the environment are. A key of ours that is not known is refused with the
 * nearest known one, so a slip (`digestTimeZone`) fails the synth instead of deploying a default.
 * Keys with a namespace (`@aws-cdk/…`, `aws:cdk:…`, lookups) belong to the CDK and are left alone.
 * @throws ConfigError
 */
export function readContext(context: Readonly<Record<string, unknown>>): Partial<SettingValues> {
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const [key, value] of Object.entries(context)) {
    if (/[:@/]/.test(key)) continue;
    if (!(CONTEXT_KEYS as readonly string[]).includes(key)) {
      const near = closestName(key, CONTEXT_KEYS);
      throw new ConfigError(
        `unknown context key '${key}'${near === undefined ? '' : `: did you mean '${near}'?`} ` +
          `(known: ${CONTEXT_KEYS.join(', ')})`,
      );
    }
    const name = key as SettingName;
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') {
      throw new ConfigError(
        `Context value ${key} must be a string (pass it as -c ${key}=…); got ${JSON.stringify(value)}`,
      );
    }
    values[name] = checkSetting(name, value, `-c ${key}`);
  }
  return values as Partial<SettingValues>;
}

// ---------------------------------------------------------------------------------------------------
// CLI flags

/**
 * Reads the settings `names` from parsed flag values (keyed by flag name, without dashes), each
 * checked; a refusal names the flag.
 * @throws ConfigError
 */
export function readFlags<K extends SettingName>(
  names: readonly K[],
  flags: Readonly<Record<string, unknown>>,
): Partial<Pick<SettingValues, K>> {
  const values: Partial<Pick<SettingValues, K>> = {};
  for (const name of names) {
    const flag = SETTINGS[name].flag;
    const raw = flag === undefined ? undefined : flags[flag];
    if (flag === undefined || typeof raw !== 'string') continue;
    values[name] = checkSetting(name, raw, `--${flag}`);
  }
  return values;
}
