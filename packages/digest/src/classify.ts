import { isSpaceCode, trimSpace } from './lines.ts';

/** Longest section label accepted; labels are a word or three ("Personal data", "M&A"). */
const MAX_LABEL_LENGTH = 60;

/**
 * The topic of a section label line, or undefined when the line is not a label.
 *
 * A label is a line that ends in "/" (trailing spaces and NBSPs already trimmed) after a space or
 * NBSP: "Personal data /", "M&A /", "5G /", "Cash\u00a0/". A headline with " / " in the middle
 * does not end in "/" and is not a label. "Cash/" with no space is accepted too when the rest is
 * a short plain label, so that a URL ending in "/" is never taken for one. The topic has its
 * inner whitespace runs (NBSPs included) collapsed to one space.
 */
export function labelTopic(line: string): string | undefined {
  const last = line.length - 1;
  if (line.charCodeAt(last) !== 0x2f) return undefined;
  const spaced = last > 0 && isSpaceCode(line.charCodeAt(last - 1));
  const raw = trimSpace(line.slice(0, last));
  if (raw === '' || raw.length > MAX_LABEL_LENGTH || raw.endsWith('/')) return undefined;
  if (!spaced && (raw.length > 30 || /[/:.?!]/.test(raw))) return undefined;
  return hasOddSpacing(raw) ? raw.replace(/[\s\u200b-\u200d\u2060]+/g, ' ') : raw;
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
 * True for the first line of the reader-facing footer ("Thanks for reading…", "Share this
 * article", "Open WeChat and scan the QR code"), which is dropped with everything after it.
 */
export function isFooterStart(line: string): boolean {
  // Most lines fail on their first letter, before any regular expression runs.
  const first = line.charCodeAt(0) | 0x20;
  if (first !== 0x74 && first !== 0x73 && first !== 0x6f) return false;
  return (
    /^thanks for reading\b/i.test(line) ||
    /^share this (?:article|story|newsletter)\b/i.test(line) ||
    /^open wechat and scan\b/i.test(line)
  );
}

// Closing quotes and brackets that may follow a sentence's final punctuation: "…said.”", "(2020).)".
const CLOSERS = new Set(Array.from('"\'”’»›)]}）］｝」』》〉】'));
const SENTENCE_END = new Set(Array.from('.!…。！．｡'));
// A line ending in these is a fragment of running text (an introduction to a quote, a list).
const CONTINUATION_END = new Set(Array.from(':;,，；：、—–-'));
// A headline may end in an abbreviation: "Huawei sues the U.S.", "Tencent invests in Foo Inc."
const ABBREVIATION_END = /(?:(?:^|[\s(])(?:[A-Z]\.){2,}|\b(?:Inc|Co|Corp|Ltd|Plc|Bros|Jr|Sr)\.)$/;

/** Related headlines are short; body paragraphs without final punctuation rarely are. */
const MAX_HEADLINE_LENGTH = 160;
const MAX_ABBREVIATED_HEADLINE_LENGTH = 100;

/** The line without the closing quotes and brackets at its end. */
function withoutClosers(line: string): string {
  let end = line.length;
  while (end > 0 && (CLOSERS.has(line.charAt(end - 1)) || isSpaceCode(line.charCodeAt(end - 1)))) end--;
  return line.slice(0, end);
}

/**
 * True when a line reads as a headline rather than running text: at most 160 characters and not
 * ending (closing quotes and brackets aside) in sentence punctuation (. ! … 。 ！) or in a
 * continuation mark (: ; , —). "?" does not disqualify: related headlines may be questions. A
 * final "." counts as a headline's when it closes an abbreviation ("U.S.", "Inc.") on a line of
 * at most 100 characters.
 */
export function isHeadlineLike(line: string): boolean {
  if (line.length > MAX_HEADLINE_LENGTH) return false;
  const core = withoutClosers(line);
  const last = core.charAt(core.length - 1);
  if (last === '') return false;
  if (CONTINUATION_END.has(last)) return false;
  if (SENTENCE_END.has(last)) {
    return last === '.' && line.length <= MAX_ABBREVIATED_HEADLINE_LENGTH && ABBREVIATION_END.test(core);
  }
  return true;
}

/** True when a line ends like a written sentence: a final "." (closing quotes aside). */
export function endsWithPeriod(line: string): boolean {
  const core = withoutClosers(line);
  const last = core.charAt(core.length - 1);
  return last === '.' || last === '。';
}
