import { isSpaceCode, trimSpace } from './lines.ts';

/** Longest section label accepted; labels are a word or three ("Personal data", "M&A"). */
const MAX_LABEL_LENGTH = 60;
const FULLWIDTH_SLASH = 0xff0f;

/**
 * The topic of a section label line, or undefined when the line is not a label.
 *
 * A label is a line that ends in "/" (trailing spaces and NBSPs already trimmed) after a space or
 * NBSP: "Personal data /", "M&A /", "5G /", "Cash\u00a0/". A headline with " / " in the middle
 * does not end in "/" and is not a label. "Cash/" with no space is accepted too when the rest is
 * a short plain label, so that a URL ending in "/" is never taken for one; so is the full-width
 * slash that Chinese input methods type ("科技／", "科技 ／"). The topic has its inner whitespace
 * runs (NBSPs included) collapsed to one space.
 */
export function labelTopic(line: string): string | undefined {
  const last = line.length - 1;
  const slash = line.charCodeAt(last);
  if (slash !== 0x2f && slash !== FULLWIDTH_SLASH) return undefined;
  const spaced = last > 0 && isSpaceCode(line.charCodeAt(last - 1));
  const raw = trimSpace(line.slice(0, last));
  if (raw === '' || raw.length > MAX_LABEL_LENGTH || raw.endsWith('/') || raw.endsWith('／'))
    return undefined;
  if (!spaced && (raw.length > 30 || /[/:.?!／]/.test(raw))) return undefined;
  return hasOddSpacing(raw) ? raw.replace(/[\s\u200b-\u200f\u2060]+/g, ' ') : raw;
}

/** True when text has whitespace other than single plain spaces (NBSPs, tabs, runs). */
function hasOddSpacing(text: string): boolean {
  let previousSpace = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = isSpaceCode(c);
    if (space && (c !== 0x20 || previousSpace)) return true;
    previousSpace = space;
  }
  return false;
}

/** True for the topic of a "Quick hits /" section, whose every line is a story of its own. */
export function isQuickHits(topic: string): boolean {
  return (topic.charCodeAt(0) | 0x20) === 0x71 && /^quick[\s-]*hits?$/i.test(topic);
}

/**
 * True for the first line of the reader-facing footer ("Thanks for reading…", "Thank you for
 * reading", "Share this article", "Open WeChat and scan the QR code"), which is dropped with
 * everything after it.
 */
export function isFooterStart(line: string): boolean {
  // One test of the first letter rules out nearly every line.
  const first = line.charCodeAt(0) | 0x20;
  if (first !== 0x74 && first !== 0x73 && first !== 0x6f) return false;
  return (
    startsWithWords(line, 'thanks for reading') ||
    startsWithWords(line, 'thank you for reading') ||
    startsWithWords(line, 'share this article') ||
    startsWithWords(line, 'share this story') ||
    startsWithWords(line, 'share this newsletter') ||
    startsWithWords(line, 'open wechat and scan')
  );
}

/**
 * True when `line` starts with `prefix` (lower-case ASCII), ignoring ASCII case, and the prefix ends
 * at a word boundary. A character loop: most lines differ at their first letter.
 */
function startsWithWords(line: string, prefix: string): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const c = line.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== prefix.charCodeAt(i)) return false;
  }
  const next = line.charCodeAt(prefix.length);
  const isWordChar = (next >= 0x30 && next <= 0x39) || ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a);
  return !isWordChar;
}

const codes = (chars: string): Set<number> => new Set(Array.from(chars, (c) => c.charCodeAt(0)));
// Closing quotes and brackets that may follow a sentence's final punctuation: "…said.”", "(2020).)".
const CLOSERS = codes('"\'”’»›)]}）］｝」』》〉】');
const SENTENCE_END = codes('.!…。！．｡');
// A line ending in these is a fragment of running text (an introduction to a quote, a list).
const CONTINUATION_END = codes(':;,，；：、—–-');
const PERIOD = 0x2e;
const IDEOGRAPHIC_PERIOD = 0x3002;
// A headline may end in an abbreviation: "Huawei sues the U.S.", "Tencent invests in Foo Inc."
const ABBREVIATION_END = /(?:(?:^|[\s(])(?:[A-Z]\.){2,}|\b(?:Inc|Co|Corp|Ltd|Plc|Bros|Jr|Sr)\.)$/;

/** Related headlines are short; body paragraphs without final punctuation rarely are. */
const MAX_HEADLINE_LENGTH = 160;
const MAX_ABBREVIATED_HEADLINE_LENGTH = 100;

/** Index just past the line's last character that is not a closing quote, bracket or space. */
function coreEnd(line: string): number {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (!CLOSERS.has(c) && !isSpaceCode(c)) break;
    end--;
  }
  return end;
}

/**
 * True when a line reads as a headline rather than running text: at most 160 characters, not
 * ending (closing quotes and brackets aside) in sentence punctuation (. ! … 。 ！) or in a
 * continuation mark (: ; , —), and not made of two sentences (see {@link hasSentenceBreak}). "?"
 * does not disqualify: related headlines may be questions. A final "." counts as a headline's
 * when it closes an abbreviation ("U.S.", "Inc.") on a line of at most 100 characters.
 */
export function isHeadlineLike(line: string): boolean {
  if (line.length > MAX_HEADLINE_LENGTH) return false;
  const end = coreEnd(line);
  if (end === 0) return false;
  const last = line.charCodeAt(end - 1);
  if (CONTINUATION_END.has(last)) return false;
  if (SENTENCE_END.has(last)) {
    return (
      last === PERIOD &&
      line.length <= MAX_ABBREVIATED_HEADLINE_LENGTH &&
      ABBREVIATION_END.test(line.slice(0, end)) &&
      !hasSentenceBreak(line, end)
    );
  }
  return !hasSentenceBreak(line, end);
}

// Lower-case words that end in a period without ending a sentence: "Apple vs. Google".
const LOWER_ABBREVIATIONS = new Set(['etc', 'vs', 'approx', 'incl', 'est', 'al', 'ca', 'cf']);
const OPENERS = codes('"\'“‘«‹(（「『《〈【');

/**
 * True when a full stop inside `line[0, end)` ends one sentence and another starts after it:
 * "Critics were unconvinced. Why travel now?" or "需求下降。分析人士认为" — running text, which a
 * headline never is. Any "。" before the end is such a break. For Latin text the stop must follow a lower-case word of two or more letters
 * (so "U.S. Treasury", "Mr. Xi", "No. 1", "Co. Ltd" are not breaks) and be followed by spaces and
 * a capital letter, quotes allowed on either side; "!" and "?" do not count ("Default? Not yet,
 * says chairman" is a headline). One pass over the line.
 */
function hasSentenceBreak(line: string, end = line.length): boolean {
  for (let i = 1; i < end - 1; i++) {
    const c = line.charCodeAt(i);
    // `end` is past the last character that is not a closer, so text follows this "。".
    if (c === IDEOGRAPHIC_PERIOD) return true;
    if (c !== PERIOD) continue;
    let start = i;
    while (start > 0 && isLowerAscii(line.charCodeAt(start - 1))) start--;
    if (i - start < 2 || (start > 0 && isLetterCode(line.charCodeAt(start - 1)))) continue;
    let j = i + 1;
    while (j < end && CLOSERS.has(line.charCodeAt(j))) j++;
    const spaceStart = j;
    while (j < end && isSpaceCode(line.charCodeAt(j))) j++;
    if (j === spaceStart || j >= end) continue;
    while (j < end - 1 && OPENERS.has(line.charCodeAt(j))) j++;
    if (!isUpperCode(line.charCodeAt(j))) continue;
    if (LOWER_ABBREVIATIONS.has(line.slice(start, i))) continue;
    return true;
  }
  return false;
}

const isLowerAscii = (c: number): boolean => c >= 0x61 && c <= 0x7a;

/** A letter of any script (used to see whether a lower-case run is part of a longer word). */
function isLetterCode(c: number): boolean {
  if (c < 0x80) return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
  return /\p{L}/u.test(String.fromCharCode(c));
}

function isUpperCode(c: number): boolean {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  return /\p{Lu}/u.test(String.fromCharCode(c));
}

/** True when a line ends like a written sentence: a final "." (closing quotes aside). */
export function endsWithPeriod(line: string): boolean {
  const end = coreEnd(line);
  const last = end > 0 ? line.charCodeAt(end - 1) : 0;
  return last === PERIOD || last === IDEOGRAPHIC_PERIOD;
}
