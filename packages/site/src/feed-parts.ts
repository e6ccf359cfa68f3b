import { utf8Length } from './text.ts';

/**
 * A serialised feed split where entries can be dropped: `head + entries.join(separator) + tail`. Each
 * entry is serialised once, so fitting a byte budget is arithmetic, not re-rendering.
 */
export interface FeedParts {
  readonly head: string;
  readonly entries: readonly string[];
  readonly separator: string;
  readonly tail: string;
}

/** How many leading (newest) entries fit in `maxBytes` of UTF-8. One linear pass. */
export function entriesThatFit(parts: FeedParts, maxBytes: number): number {
  const separatorBytes = utf8Length(parts.separator);
  let total = utf8Length(parts.head) + utf8Length(parts.tail);
  let count = 0;
  for (const entry of parts.entries) {
    const next = total + utf8Length(entry) + (count > 0 ? separatorBytes : 0);
    if (next > maxBytes) break;
    total = next;
    count += 1;
  }
  return count;
}

/** The feed's text with its first `count` entries. */
export function assemble(parts: FeedParts, count: number): string {
  return `${parts.head}${parts.entries.slice(0, count).join(parts.separator)}${parts.tail}`;
}
