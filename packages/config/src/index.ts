/**
 * `@feedwright/config`: every setting of feedwright defined once (name, default, check, help, its
 * CLI flag, environment variable and CDK context key), and the readers that take them from each of
 * those sources with the same checks and the same error style.
 *
 * @example
 * ```ts
 * // A Lambda handler that renders
 * const site = siteConfigFromEnvironment(); // SITE_BASE_URL, SITE_TITLE, SITE_HUB_URL, …
 * ```
 */
export { ConfigError, closestName, type Setting, type SettingScope } from './setting.ts';
export {
  type DeploySettings,
  type PipelineSettings,
  SETTING_NAMES,
  SETTINGS,
  type SettingName,
  type SettingValues,
  SITE_SETTING_NAMES,
} from './settings.ts';
export {
  CONTEXT_KEYS,
  checkSetting,
  type DigestReading,
  digestReadingEnvironment,
  digestReadingFromEnvironment,
  readContext,
  readFlags,
  siteConfigFromEnvironment,
  siteEnvironment,
} from './sources.ts';
