// Every string that came from a digest passes through here before it reaches markup. XML 1.0 forbids
// C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and lone surrogates; HTML parsers flag C1 controls
// and noncharacters as errors. None of them carries meaning in news text, so they are removed.
// The expressions work on UTF-16 code units (no `u` flag): Unicode-property classes were ~10x slower,
// and every paragraph of every feed goes through this.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const SUSPECT = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uD800-\uDFFF\uFDD0-\uFDEF\uFFFE\uFFFF]/;
// A surrogate pair is matched whole first, so only lone surrogates reach the last alternative.
const ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /([\uD800-\uDBFF][\uDC00-\uDFFF])|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFDD0-\uFDEF\uFFFE\uFFFF\uD800-\uDFFF]/g;

// Keeps a well-formed pair unless it encodes a supplementary noncharacter (U+1FFFE, U+1FFFF, ...).
const keepPair = (match: string, pair: string | undefined): string =>
  pair !== undefined && ((pair.codePointAt(0) ?? 0) & 0xfffe) !== 0xfffe ? match : '';

const MARKUP_SPECIALS = /[&<>"']/g;
const HAS_MARKUP_SPECIAL = /[&<>"']/;
const ATTRIBUTE_SPECIALS = /[&<>"'\t\n\r]/g;
const HAS_ATTRIBUTE_SPECIAL = /[&<>"'\t\n\r]/;

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Attribute-value normalisation would turn these into spaces; character references keep them.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

const toEntity = (char: string): string => ENTITIES[char] ?? char;

/**
 * Removes the characters that are illegal in XML 1.0 or that HTML treats as parse errors: C0 and C1
 * controls except tab, LF and CR; lone surrogates; noncharacters (U+FFFE, U+FFFF, U+FDD0..U+FDEF, ...).
 */
export function cleanText(text: string): string {
  return SUSPECT.test(text) ? text.replace(ILLEGAL, keepPair) : text;
}

/**
 * {@link cleanText}, or `fallback` when nothing visible is left: a headline or topic made of control
 * characters alone would otherwise give blank titles (W3C NotBlank) and empty headings and links.
 */
export function visibleText(text: string, fallback: string): string {
  const clean = cleanText(text);
  return clean.trim() === '' ? fallback : clean;
}

/**
 * Escapes text for XML or HTML element content and for quoted attribute values alike: `&`, `<`, `>`
 * (so `]]>` can never appear), `"` and `'`. Illegal characters are removed first.
 */
export function escapeMarkup(text: string): string {
  return escapeCleanText(cleanText(text));
}

/**
 * {@link escapeMarkup} for text already passed through {@link cleanText} (the feed model's fields):
 * a feed escapes each paragraph several times over, so scanning it for illegal characters once is enough.
 */
export function escapeCleanText(clean: string): string {
  return HAS_MARKUP_SPECIAL.test(clean) ? clean.replace(MARKUP_SPECIALS, toEntity) : clean;
}

const RSS_ENTITIES: Readonly<Record<string, string>> = { ...ENTITIES, '&': '&#x26;', '<': '&#x3C;' };
const toRssEntity = (char: string): string => RSS_ENTITIES[char] ?? char;

/**
 * {@link escapeCleanText} for RSS element content: the RSS Best Practices Profile asks for `&` and `<`
 * in plain text as hexadecimal character references (`&#x26;`, `&#x3C;`), and the W3C validator warns
 * (CharacterData) about any other form. XML parsers read both the same.
 */
export function escapeRssText(clean: string): string {
  return HAS_MARKUP_SPECIAL.test(clean) ? clean.replace(MARKUP_SPECIALS, toRssEntity) : clean;
}

/** Like {@link escapeMarkup}, and also keeps tab, LF and CR intact through attribute-value normalisation. */
export function escapeAttribute(text: string): string {
  const clean = cleanText(text);
  return HAS_ATTRIBUTE_SPECIAL.test(clean) ? clean.replace(ATTRIBUTE_SPECIALS, toEntity) : clean;
}

/** The UTF-8 size of a string, which is what a byte budget on a served file is about. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
