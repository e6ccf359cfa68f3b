import { DigestError, isFooterStart, labelTopic, parseDateLine } from '@feedwright/digest';
import { unwrapForwarded } from './forwarded.ts';

const QUOTE_PREFIX = /^(?:>[ \t]?)+/;
const QUOTE = /^>[ \t]?/;

/** A line as the digest parser will see it: `>` quoting and the spaces around it gone. */
function bare(line: string): string {
  return line
    .replace(QUOTE_PREFIX, '')
    .replace(/^[\s\u00a0\u200b-\u200d\ufeff]+|[\s\u00a0\u200b-\u200d\ufeff]+$/g, '');
}

function isDateLine(line: string): boolean {
  if (line.length === 0 || line.length > 80) return false;
  try {
    return parseDateLine(line) !== undefined;
  } catch (error) {
    // Shaped like a date that does not exist: still the digest's date line, which the parser refuses.
    if (error instanceof DigestError) return true;
    throw error;
  }
}

/**
 * Lines that only an e-mail service's frame holds, never a digest: the ways out of the list, the
 * legal lines, the "view it elsewhere" links. One of them after the last section starts the
 * boilerplate after the digest.
 */
const FRAME_LINE = new RegExp(
  [
    String.raw`^unsubscribe\b`,
    String.raw`\bunsubscribe\s*(?:[|·•]|$|here\b|from this list|https?:)`,
    String.raw`[|·•]\s*unsubscribe\b`,
    '^(?:update|manage|change) (?:your )?(?:subscription|email|mailing)? ?(?:preferences|settings|subscription)',
    "^(?:you are|you're|you were) (?:receiving|subscribed|signed up)",
    '^you (?:received|got|are getting) this',
    '^(?:this email|this message|this newsletter) was sent',
    String.raw`^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}|[\p{L}])`,
    String.raw`\ball rights reserved\b`,
    '^our mailing address',
    '^want to change how you receive',
    '^view (?:this |it )?(?:email|post|newsletter|issue|message)? ?(?:in|on) (?:your|the|a) (?:browser|web)',
    '^forwarded this (?:email|newsletter)',
    '^(?:if you )?no longer (?:want|wish) to receive',
    String.raw`^powered by\b`,
  ].join('|'),
  'iu',
);

/**
 * Lines that stand in an e-mail service's footer next to {@link FRAME_LINE}s: social links, a
 * postal address, a "follow us" or "sent with" line.
 */
const FRAME_NEIGHBOUR = new RegExp(
  [
    String.raw`^(?:(?:follow|find|connect with) us(?: on)?:?\s*)?(?:(?:twitter|x|facebook|linkedin|instagram|youtube|tiktok|threads|mastodon|bluesky|rss|website|web|email|e-mail|wechat|weibo)\s*[|·•,/-]?\s*)+$`,
    String.raw`^(?:follow|find|connect with) us\b`,
    String.raw`\b\d+[a-z]?,?\s+[\p{L} .'-]+\b(?:street|st\.?|road|rd\.?|avenue|ave\.?|boulevard|blvd\.?|lane|ln\.?|drive|dr\.?|way|plaza|square|suite|floor)\b`,
    String.raw`\b(?:p\.?\s?o\.?\s+box|pmb)\s+\d+`,
    String.raw`^sent (?:with|by|via|from)\b`,
    '^(?:share|tweet|forward)(?: this)?(?: (?:email|newsletter|post))?$',
    // A post's action bar (Substack, Ghost): "Like  Comment  Restack", "Share | Reply".
    String.raw`^(?:(?:like|comment|comments|restack|share|reply|forward|subscribe|upgrade|listen|read in app|open in app)\b[\s|·•]*)+$`,
  ].join('|'),
  'iu',
);

/** Whether a line is an e-mail service's, not the digest's. */
function isFrameLine(line: string): boolean {
  return line.length <= 200 && FRAME_LINE.test(line);
}

function isBlank(line: string): boolean {
  return bare(line).length === 0;
}

/** Strips one level of `>` quoting, as many times as every non-blank line carries one. */
function unquoteAll(lines: string[]): string[] {
  let current = lines;
  for (let round = 0; round < 8; round++) {
    const nonBlank = current.filter((line) => line.trim().length > 0);
    if (nonBlank.length === 0 || !nonBlank.every((line) => QUOTE.test(line))) break;
    current = current.map((line) => line.replace(QUOTE, ''));
  }
  return current;
}

/** Index of the first line of the block (run of non-blank lines) that line `i` is in. */
function blockStart(lines: readonly string[], i: number, floor: number): number {
  let start = i;
  while (start - 1 > floor && !isBlank(lines[start - 1] as string)) start--;
  return start;
}

/**
 * Index of the first line of the boilerplate after the digest: the block (lines with no blank
 * line between them, such as an address written with `<br>`s) of the first {@link FRAME_LINE}
 * after the last section label and before the digest's own footer, taken back over the blocks
 * just above it that hold footer lines (social links, an address, an action bar).
 * `lines.length` when there is none.
 */
function frameAfter(lines: readonly string[], lastLabel: number): number {
  let frame = -1;
  for (let i = lastLabel + 1; i < lines.length; i++) {
    const line = bare(lines[i] as string);
    if (isFooterStart(line)) return lines.length;
    if (isFrameLine(line)) {
      frame = i;
      break;
    }
  }
  if (frame < 0) return lines.length;
  // Keep at least the first line under the label (the story's title, or the first quick hit).
  let floor = lastLabel + 1;
  while (floor < frame && isBlank(lines[floor] as string)) floor++;
  if (floor >= frame) return frame;
  let first = Math.max(blockStart(lines, frame, floor), floor + 1);
  for (;;) {
    let above = first - 1;
    while (above > floor && isBlank(lines[above] as string)) above--;
    if (above <= floor) break;
    const start = blockStart(lines, above, floor);
    const block = lines.slice(start, above + 1).map(bare);
    if (!block.some((line) => FRAME_NEIGHBOUR.test(line) || isFrameLine(line))) break;
    first = Math.max(start, floor + 1);
  }
  return first;
}

/** What {@link findDigest} found. */
export interface FoundDigest {
  /** The digest's text: from its date line to its end, the e-mail's frame around it dropped. */
  readonly text: string;
  /** Whether a date line was found (and so the text starts with it). */
  readonly found: boolean;
}

/**
 * Finds the digest in the text of a message: from its date line to its footer (or its last
 * story), with whatever stands around it dropped: an e-mail service's preheader, "View this email
 * in your browser" and logo lines, a forwarder's note and the forwarded header block above it;
 * social links, "Unsubscribe | Update preferences", the address and the copyright line after it.
 *
 * The date line is the last line shaped like a date (see `parseDateLine`) above the first section
 * label, so a forward's "Date:" line or a template's own date above the digest is passed over.
 * Only what is above the date line is searched for forward markers and quoting: a story that
 * quotes "Begin forwarded message:" stays in it. One level of `>` quoting is removed when every
 * line of the digest has it (a forward quoted by the mail client).
 *
 * Text with no date line is returned as {@link unwrapForwarded} leaves it, so that the parser
 * says what is wrong with it.
 */
export function findDigest(text: string): FoundDigest {
  const lines = text.split(/\r\n|\r|\n/);
  const bareLines = lines.map(bare);
  let firstLabel = bareLines.findIndex((line) => labelTopic(line) !== undefined);
  if (firstLabel < 0) firstLabel = lines.length;
  let dateLine = -1;
  for (let i = 0; i < firstLabel; i++) if (isDateLine(bareLines[i] as string)) dateLine = i;
  if (dateLine < 0) {
    for (let i = firstLabel; i < lines.length && dateLine < 0; i++) {
      if (isDateLine(bareLines[i] as string)) dateLine = i;
    }
  }
  if (dateLine < 0) return { text: unwrapForwarded(text).text, found: false };
  let lastLabel = -1;
  for (let i = lines.length - 1; i > dateLine; i--) {
    if (labelTopic(bareLines[i] as string) !== undefined) {
      lastLabel = i;
      break;
    }
  }
  const end = lastLabel < 0 ? lines.length : frameAfter(lines, lastLabel);
  const digest = unquoteAll(lines.slice(dateLine, end));
  while (digest.length > 1 && isBlank(digest[digest.length - 1] as string)) digest.pop();
  return { text: digest.join('\n'), found: true };
}
