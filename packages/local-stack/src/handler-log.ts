import type { PipelineLogger } from '@feedwright/pipeline';

/** Powertools' levels, lowest first; `POWERTOOLS_LOG_LEVEL` names the lowest one written. */
const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
type Level = (typeof LEVELS)[number];

/** Attributes a line leaves out: said by the line's key, or only for machines (tracing, ordering). */
const UNSHOWN = new Set(['correlation_id', 'sequencer', 'eventAt', 'liveAt']);

/** A list shows this many items, then how many more there are. */
const LIST_ITEMS = 5;

/**
 * A logger for the handlers the local stack runs that writes each entry as one short line through
 * `log`, instead of the Powertools JSON CloudWatch gets: `<function>: <message> [<key>] name=value…`
 * (logfmt: nested attributes as `a.b=…`, lists cut to their first items, text with spaces quoted),
 * `<function> WARN: …` and `<function> ERROR: …` for those levels. Entries whose message is in
 * `unshown` (what the stack already prints in its own words) are left out. Below
 * `POWERTOOLS_LOG_LEVEL` (INFO when unset), as with Powertools, nothing is written.
 */
export function lineLogger(
  functionName: string,
  log: (line: string) => void,
  unshown: ReadonlySet<string> = new Set(),
): PipelineLogger {
  const named = LEVELS.indexOf((process.env.POWERTOOLS_LOG_LEVEL?.toUpperCase() ?? 'INFO') as Level);
  const lowest = named === -1 ? LEVELS.indexOf('INFO') : named;
  const write = (level: Level) => (message: string, attributes?: Record<string, unknown>) => {
    if (LEVELS.indexOf(level) < lowest || unshown.has(message)) return;
    const label = level === 'INFO' || level === 'DEBUG' ? functionName : `${functionName} ${level}`;
    log(`${label}: ${message}${describeAttributes(attributes ?? {})}`);
  };
  return { debug: write('DEBUG'), info: write('INFO'), warn: write('WARN'), error: write('ERROR') };
}

/** ` <key> name=value…`, or '' when there is nothing to show. */
export function describeAttributes(attributes: Record<string, unknown>): string {
  const { key, ...rest } = attributes;
  const pairs = flatten(typeof key === 'string' ? rest : attributes, '')
    .filter(([name]) => !UNSHOWN.has(name))
    .map(([name, value]) => `${name}=${value}`);
  return [typeof key === 'string' ? quoted(key) : undefined, ...pairs]
    .filter((part) => part !== undefined)
    .map((part) => ` ${part}`)
    .join('');
}

function flatten(value: Record<string, unknown>, prefix: string): Array<[string, string]> {
  return Object.entries(value).flatMap(([name, item]): Array<[string, string]> => {
    const path = `${prefix}${name}`;
    if (item === undefined) return [];
    if (item instanceof Error) return [[path, quoted(item.message)]];
    if (Array.isArray(item)) return [[path, listOf(item)]];
    if (typeof item === 'object' && item !== null)
      return flatten(item as Record<string, unknown>, `${path}.`);
    return [[path, quoted(String(item))]];
  });
}

function listOf(items: readonly unknown[]): string {
  const shown = items
    .slice(0, LIST_ITEMS)
    .map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item)));
  const more = items.length > LIST_ITEMS ? `,…(+${items.length - LIST_ITEMS})` : '';
  return quoted(`${shown.join(',')}${more}`);
}

/**
 * The text as it is, or in JSON quotes when it has a space, a quote or a character a terminal would
 * act on or hide (see {@link escapeControls}).
 */
function quoted(text: string): string {
  if (text !== '' && !/[\s"\\]/.test(text) && !CONTROLS.test(text)) return text;
  return escapeControls(JSON.stringify(text));
}

const CONTROLS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * `text` with every character a terminal would act on or hide (controls, format characters such as
 * bidirectional overrides, line and paragraph separators) written as `\uXXXX`: a digest's key, a
 * file's name, a sender or a rejection's reason is someone else's text, and must not forge a line of
 * the log or move the cursor where it is shown.
 */
export function escapeControls(text: string): string {
  return text.replace(new RegExp(CONTROLS.source, 'gu'), (character) => {
    const code = character.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
