import { hash } from 'node:crypto';

// Letters that NFKD does not decompose into an ASCII base letter plus marks.
const FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ħ: 'h',
  ı: 'i',
  ł: 'l',
  þ: 'th',
};
const FOLDABLE = /[ßæœøđðħıłþ]/g;
// Marks are stripped only after Latin, Greek and Cyrillic letters ("é" → "e"); elsewhere they are
// part of the letter (Devanagari vowel signs) and stay.
const ACCENTS = /(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/gu;
const NOT_URL_SAFE = /[^a-z0-9]+/g;

function trimHyphens(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x2d) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x2d) end--;
  return text.slice(start, end);
}

/**
 * Non-ASCII characters that are neither letters nor digits in any normal form, and that digests
 * are full of: NBSP, curly quotes, dashes, ellipses, guillemets, CJK punctuation.
 */
function isCommonSeparator(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0xab ||
    c === 0xb7 ||
    c === 0xbb ||
    (c >= 0x2000 && c <= 0x206f) ||
    (c >= 0x3000 && c <= 0x3003) ||
    (c >= 0x3008 && c <= 0x3011) ||
    c === 0xfeff ||
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

/**
 * CJK letters that no normal form changes and that have no case: the unified ideographs (and
 * extension A), hiragana, katakana and Hangul syllables. A slug keeps them as they are.
 */
function isPlainCjkLetter(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0x3041 && c <= 0x3096) ||
    (c >= 0x30a1 && c <= 0x30fa) ||
    c === 0x30fc
  );
}

/**
 * {@link slugify} for the other common case, text of ASCII and CJK letters among punctuation
 * ("万科：4月销售额同比增长17%"), in one pass with no normalisation: NFKD and NFC leave such letters as
 * they are, so the general path would give the same slug. With `asciiOnly`, the CJK letters count as
 * separators too, which gives directly the ASCII part of a story id (what `toUrlSafe` would leave of
 * the slug). The slug is joined from slices of the text. Undefined when the text has any other
 * non-ASCII letter, mark or symbol, or no CJK letter at all.
 */
function cjkSlug(text: string, asciiOnly: boolean): string | undefined {
  let slug = '';
  let runStart = -1;
  let upper = false;
  let cjk = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    let word = (lower >= 0x61 && lower <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (word) {
      if (c <= 0x5a && c >= 0x41) upper = true;
    } else if (c >= 0x80) {
      if (isPlainCjkLetter(c)) {
        cjk = true;
        word = !asciiOnly;
      } else if (!isCommonSeparator(c)) {
        return undefined;
      }
    }
    if (word) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      slug = slug === '' ? text.slice(runStart, i) : `${slug}-${text.slice(runStart, i)}`;
      runStart = -1;
    }
  }
  if (!cjk) return undefined;
  if (runStart >= 0) slug = slug === '' ? text.slice(runStart) : `${slug}-${text.slice(runStart)}`;
  return upper ? slug.toLowerCase() : slug;
}

// Scratch space for fastSlug: slugs are built as bytes, then decoded in one call.
const scratch = Buffer.alloc(1024);

/**
 * {@link slugify} in one pass without normalisation, regular expressions or `toLowerCase`, for the
 * common case of ASCII letters and digits among any punctuation (curly quotes and dashes
 * included): most titles are such, and a digest has hundreds of them. Undefined when the text has
 * other letters (é, CJK), which take the general path.
 */
function fastSlug(text: string): string | undefined {
  // A slug is never longer than its text; only very long lines need their own buffer.
  const bytes = text.length <= scratch.length ? scratch : Buffer.alloc(text.length);
  let length = 0;
  let hyphen = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      if (hyphen && length > 0) bytes[length++] = 0x2d;
      hyphen = false;
      bytes[length++] = c;
    } else if (c >= 0x80 && !isCommonSeparator(c)) {
      return undefined;
    } else {
      hyphen = true;
    }
  }
  return bytes.toString('latin1', 0, length);
}

/** True when `text` has only the characters of an ASCII slug: a-z, 0-9 and the hyphen. */
function isUrlSafe(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return false;
  }
  return true;
}

/**
 * A URL path segment for a topic or title: lower case, accents dropped ("é" → "e"), every run of
 * characters that are not letters or digits turned into one hyphen, no hyphen at either end.
 * Letters and digits of any script count, so CJK text keeps a usable slug.
 *
 * @example slugify('Personal data') === 'personal-data'
 * @example slugify('M&A') === 'm-a'
 * @example slugify('Covid-19') === 'covid-19'
 * @example slugify('China’s law') === 'china-s-law'
 * @example slugify('科技 / 互联网') === '科技-互联网'
 */
export function slugify(text: string): string {
  return fastSlug(text) ?? cjkSlug(text, false) ?? generalSlug(text);
}

/** {@link slugify} for any text: Unicode normalisation and folding. */
function generalSlug(text: string): string {
  const folded = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(ACCENTS, '')
    .replace(FOLDABLE, (c) => FOLDS[c] ?? c)
    .replace(SEPARATORS, '-');
  // NFC puts back what NFKD took apart outside Latin scripts (Hangul syllables, for one).
  return trimHyphens(folded).normalize('NFC');
}

/**
 * First 8 hex digits of the SHA-256 of `text` (UTF-8): a short, stable fingerprint. Node's one-shot
 * `crypto.hash` costs a third of a `createHash` object per call, with the same digest, so ids made
 * with it before stay the same.
 */
function shortHash(text: string): string {
  return hash('sha256', text, 'hex').slice(0, 8);
}

/** The slug reserved for the feed of every topic (`feeds/all/`). */
export const ALL_TOPICS_SLUG = 'all';

/**
 * The slug of a section label. {@link slugify}, except that a label with no letters or digits
 * ("—") gets `topic-<hash>`, and a label slugging to `all`, reserved for the all-stories feed,
 * gets `all-topic`.
 */
export function topicSlugFor(topic: string): string {
  const slug = slugify(topic);
  if (slug === '') return `topic-${shortHash(topic.normalize('NFC'))}`;
  if (slug === ALL_TOPICS_SLUG) return `${ALL_TOPICS_SLUG}-topic`;
  return slug;
}

/** Cuts a slug to at most `max` characters at a hyphen, so that no word is cut in half. */
function capAtHyphen(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.lastIndexOf('-', max);
  return trimHyphens(cut > 0 ? slug.slice(0, cut) : slug.slice(0, max));
}

const TITLE_PART_MAX = 50;
const TOPIC_PART_MAX = 40;

/**
 * The id of a story: `<date>-<topic slug>-<title slug>`, ASCII letters, digits and hyphens only,
 * so it is safe in a URL, a file name and a feed GUID. The title part is cut at a hyphen to at most
 * 50 characters. When the topic or title has letters that have no ASCII form (CJK, Cyrillic…),
 * a short hash of both is appended, so that such stories still get distinct ids.
 *
 * Same date, topic and title → same id, on every run and machine. Uniqueness within one digest
 * (two stories with the same topic and title) is {@link parseDigest}'s job: it appends -2, -3.
 *
 * @example storyIdFor('2020-12-01', 'personal-data', 'Cover Story: The fight over China’s law to protect personal data')
 *   === '2020-12-01-personal-data-cover-story-the-fight-over-china-s-law-to-protect'
 */
export function storyIdFor(date: string, topicSlug: string, title: string): string {
  // One pass over the title in the common cases: an ASCII title's slug, or a CJK title's ASCII part.
  let titleSafe = true;
  let titleAscii = fastSlug(title);
  if (titleAscii === undefined) {
    titleSafe = false;
    titleAscii = cjkSlug(title, true);
    if (titleAscii === undefined) {
      const titleSlug = generalSlug(title);
      titleSafe = isUrlSafe(titleSlug);
      titleAscii = titleSafe ? titleSlug : toUrlSafe(titleSlug);
    }
  }
  const topicSafe = isUrlSafe(topicSlug);
  const asciiTopic = capAtHyphen(topicSafe ? topicSlug : toUrlSafe(topicSlug), TOPIC_PART_MAX);
  const asciiTitle = capAtHyphen(titleAscii, TITLE_PART_MAX);
  let id = isUrlSafe(date) ? date : toUrlSafe(date);
  if (asciiTopic !== '') id = id === '' ? asciiTopic : `${id}-${asciiTopic}`;
  if (asciiTitle !== '') id = id === '' ? asciiTitle : `${id}-${asciiTitle}`;
  // Anything a slug keeps beyond [a-z0-9-] is a letter or digit that the ASCII id loses.
  if (!topicSafe || !titleSafe || asciiTitle === '') {
    const hash = shortHash(`${topicSlug}\n${title.normalize('NFC').trim()}`);
    id = id === '' ? hash : `${id}-${hash}`;
  }
  return id;
}

function toUrlSafe(slug: string): string {
  return trimHyphens(slug.replace(NOT_URL_SAFE, '-'));
}
