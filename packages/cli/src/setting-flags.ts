import { ConfigError, readFlags, SETTINGS, type SettingName, type SettingValues } from '@feedwright/config';
import type { SiteConfig } from '@feedwright/site';
import { UsageError } from './command.ts';
import type { OptionSpec } from './command-line.ts';

/** The flags of the settings every command that renders takes, in `--help` order. */
export const SITE_FLAGS = [
  'baseUrl',
  'siteTitle',
  'description',
  'author',
  'language',
  'itemsPerFeed',
  'maxFeedBytes',
  'indexHeadlines',
  'tagDate',
  'hubUrl',
  'icon',
  'logo',
  'mailIn',
] as const satisfies readonly (keyof SiteConfig)[];

/** The options of the flags of `names`: each takes a value, named as its setting defines. */
export function settingOptions(names: readonly SettingName[]): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {};
  for (const name of names) {
    const { flag, placeholder } = SETTINGS[name];
    if (flag !== undefined) options[flag] = { type: 'string', placeholder };
  }
  return options;
}

/** The `--help` lines of the flags of `names`, from their one definition. */
export function settingHelp(names: readonly SettingName[]): string {
  return names
    .flatMap((name) => {
      const setting = SETTINGS[name];
      if (setting.flag === undefined) return [];
      return [
        helpLine(
          `--${setting.flag} ${setting.placeholder}`,
          `${setting.help} (default ${setting.defaultText})`,
        ),
      ];
    })
    .join('\n');
}

/** One option line of a `--help`: the flag in a column of its own, the text wrapped beside it. */
function helpLine(flag: string, text: string): string {
  const column = 24;
  const width = 100;
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && column + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  const head = `  ${flag}`;
  const first =
    head.length < column ? `${head.padEnd(column)}${lines[0]}` : `${head}\n${' '.repeat(column)}${lines[0]}`;
  return [first, ...lines.slice(1).map((rest) => `${' '.repeat(column)}${rest}`)].join('\n');
}

/** The settings `names` given as flags, each checked by its definition; a refusal is a UsageError. */
export function readSettingFlags<K extends SettingName>(
  names: readonly K[],
  values: Readonly<Record<string, unknown>>,
): Partial<Pick<SettingValues, K>> {
  try {
    return readFlags(names, values);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** The `--help` line of every command, word for word. */
export const HELP_LINE = helpLine('-h, --help', 'show this help');
