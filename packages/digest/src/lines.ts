/** One non-blank line of a digest, trimmed at both ends. */
export interface Line {
  /** The line's text without leading or trailing whitespace. */
  readonly text: string;
  /** Number of blank lines just before this one (whitespace-only lines count as blank). */
  readonly gap: number;
  /** 1-based line number in the (line-end-normalised) text, for messages. */
  readonly lineNo: number;
}

/**
 * Whitespace as editors produce it: ASCII spaces and tabs, NBSP (U+00A0), the other Unicode
 * spaces, the BOM (U+FEFF), zero-width spaces and joiners and the invisible left-to-right and
 * right-to-left marks, which rich-text editors and mail clients leave on otherwise empty lines. A
 * line made only of these is blank.
 */
export function isSpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return c === 0x85;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200f) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x2060 ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** `text` without {@link isSpaceCode} characters at either end. */
export function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
  while (end > start && isSpaceCode(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g;

/** True when a CR in `text` ends a line on its own (old Mac line ends), not as half of a CRLF. */
function hasLoneCr(text: string): boolean {
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 2)) {
    if (text.charCodeAt(cr + 1) !== 0x0a) return true;
  }
  return false;
}

/**
 * Splits text into its non-blank lines in one pass, noting how many blank lines preceded each.
 * Line ends may be LF, CRLF or a lone CR (old Mac editors), mixed; U+2028/U+2029 also end lines.
 */
export function scanLines(text: string): Line[] {
  // Native scans (memchr-like), and a rewrite only when needed, rather than a per-line check. A CR
  // before an LF needs none: the line is cut at the LF and the CR trimmed with the other spaces.
  const needsNormalising = hasLoneCr(text) || text.includes('\u2028') || text.includes('\u2029');
  const source = needsNormalising ? text.replace(LINE_BREAKS, '\n') : text;
  const lines: Line[] = [];
  let gap = 0;
  let lineNo = 0;
  let start = 0;
  const length = source.length;
  while (start <= length) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = length;
    lineNo++;
    let s = start;
    let e = end;
    while (s < e && isSpaceCode(source.charCodeAt(s))) s++;
    while (e > s && isSpaceCode(source.charCodeAt(e - 1))) e--;
    if (s === e) {
      gap++;
    } else {
      lines.push({ text: source.slice(s, e), gap, lineNo });
      gap = 0;
    }
    start = end + 1;
  }
  return lines;
}
