/**
 * Writes the table of every setting into docs/operations.md from its one definition (`SETTINGS` of
 * `@feedwright/config`), between the `<!-- settings:start … -->` and `<!-- settings:end -->` markers.
 *
 *   npm run docs:settings    rewrite the table (tests/unit/config/settings-doc.test.ts checks it)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SETTING_NAMES, SETTINGS } from '@feedwright/config';

export const OPERATIONS_DOC = fileURLToPath(new URL('../docs/operations.md', import.meta.url));
export const SETTINGS_START = '<!-- settings:start (npm run docs:settings) -->';
export const SETTINGS_END = '<!-- settings:end -->';

const SCOPE = { site: 'site', pipeline: 'pipeline', deploy: 'deploy (AWS only)' } as const;

/** The Markdown table of every setting: flag, variable, context key, default, meaning. */
export function settingsTable(): string {
  const cell = (text: string | undefined): string =>
    text === undefined ? '–' : text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const code = (text: string | undefined): string => (text === undefined ? '–' : `\`${text}\``);
  const rows = SETTING_NAMES.map((name) => {
    const setting = SETTINGS[name];
    return [
      code(name),
      SCOPE[setting.scope],
      setting.flag === undefined ? '–' : code(`--${setting.flag} ${setting.placeholder}`),
      code(setting.env),
      setting.context ? code(`-c ${name}=…`) : '–',
      cell(setting.defaultText),
      cell(setting.help),
    ];
  });
  return [
    '| setting | part | CLI flag | Lambda environment | CDK context | default | meaning |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** docs/operations.md with the table between its markers replaced by `settingsTable()`. */
export function withSettingsTable(doc: string): string {
  const start = doc.indexOf(SETTINGS_START);
  const end = doc.indexOf(SETTINGS_END);
  if (start < 0 || end < start)
    throw new Error(`${OPERATIONS_DOC} has no ${SETTINGS_START} … ${SETTINGS_END}`);
  return `${doc.slice(0, start + SETTINGS_START.length)}\n${settingsTable()}\n${doc.slice(end)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPERATIONS_DOC, withSettingsTable(readFileSync(OPERATIONS_DOC, 'utf8')));
}
