import { isSpaceCode } from './lines.ts';

/** The marker that opens a list item, as {@link listMarker} reads it. */
export interface ListMarker {
  /** `unordered` for a bullet or dash, `ordered` for an item number. */
  readonly kind: 'unordered' | 'ordered';
  /** The item's number for an ordered marker ("3." → 3); undefined for a bullet. */
  readonly number: number | undefined;
  /** Index in the line where the item's text starts: past the marker and the spaces after it. */
  readonly textStart: number;
}

// Bullet glyphs an editor types or pastes: • · ▪ ◦ – — - *
const BULLET = 0x2022;
const MIDDLE_DOT = 0xb7;
const SMALL_SQUARE = 0x25aa;
const WHITE_BULLET = 0x25e6;
const EN_DASH = 0x2013;
const EM_DASH = 0x2014;
const HYPHEN = 0x2d;
const ASTERISK = 0x2a;
/** "1." to "999.": more digits are a year or an amount ("2021. A year of…"), not an item number. */
const MAX_ITEM_NUMBER_DIGITS = 3;

function isBulletCode(c: number): boolean {
  return (
    c === BULLET ||
    c === HYPHEN ||
    c === EN_DASH ||
    c === EM_DASH ||
    c === MIDDLE_DOT ||
    c === ASTERISK ||
    c === SMALL_SQUARE ||
    c === WHITE_BULLET
  );
}

/**
 * The list marker that starts `line`, or undefined when the line is not a list item.
 *
 * A list item starts with a bullet (`•`, `·`, `▪`, `◦`, `–`, `—`, `-` or `*`) or an item number of
 * one to three digits followed by `.` or `)` ("1.", "2)"), and the marker is followed by a space
 * (any {@link isSpaceCode} space, NBSP included) and then text. "-5% in April", "2021. A year…",
 * "3.5% growth" and "*Corrected" are not list items. One look at the first few characters, so it is
 * cheap enough to ask of every line.
 */
export function listMarker(line: string): ListMarker | undefined {
  const first = line.charCodeAt(0);
  if (isBulletCode(first)) {
    return hasTextAfterSpace(line, 1)
      ? { kind: 'unordered', number: undefined, textStart: skipSpace(line, 1) }
      : undefined;
  }
  if (first < 0x30 || first > 0x39) return undefined;
  let end = 1;
  while (end < line.length && end <= MAX_ITEM_NUMBER_DIGITS) {
    const c = line.charCodeAt(end);
    if (c < 0x30 || c > 0x39) break;
    end++;
  }
  if (end > MAX_ITEM_NUMBER_DIGITS) return undefined;
  const punctuation = line.charCodeAt(end);
  if (punctuation !== 0x2e && punctuation !== 0x29) return undefined;
  if (!hasTextAfterSpace(line, end + 1)) return undefined;
  return { kind: 'ordered', number: Number(line.slice(0, end)), textStart: skipSpace(line, end + 1) };
}

/** True when `line` is a list item (see {@link listMarker}). */
export function isListItem(line: string): boolean {
  return listMarker(line) !== undefined;
}

/** True when `line[at]` is a space and some other character follows the spaces. */
function hasTextAfterSpace(line: string, at: number): boolean {
  return at < line.length && isSpaceCode(line.charCodeAt(at)) && skipSpace(line, at) < line.length;
}

function skipSpace(line: string, at: number): number {
  let i = at;
  while (i < line.length && isSpaceCode(line.charCodeAt(i))) i++;
  return i;
}
