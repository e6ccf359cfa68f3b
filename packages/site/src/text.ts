// Every string that came from a digest passes through here before it reaches markup. XML 1.0 forbids
// C0 controls other than tab/LF/CR, U+FFFE/U+FFFF and lone surrogates; HTML parsers flag C1 controls
// and noncharacters as errors. None of them carries meaning in news text, so they are removed.
const ILLEGAL_CHARS = /(?![\t\n\r])\p{Cc}|\p{Cs}|\p{Noncharacter_Code_Point}/gu;
const HAS_ILLEGAL_CHAR = /(?![\t\n\r])\p{Cc}|\p{Cs}|\p{Noncharacter_Code_Point}/u;

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
  return HAS_ILLEGAL_CHAR.test(text) ? text.replace(ILLEGAL_CHARS, '') : text;
}

/**
 * Escapes text for XML or HTML element content and for quoted attribute values alike: `&`, `<`, `>`
 * (so `]]>` can never appear), `"` and `'`. Illegal characters are removed first.
 */
export function escapeMarkup(text: string): string {
  const clean = cleanText(text);
  return HAS_MARKUP_SPECIAL.test(clean) ? clean.replace(MARKUP_SPECIALS, toEntity) : clean;
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
