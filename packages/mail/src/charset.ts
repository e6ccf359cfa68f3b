import iconv from 'iconv-lite';

/**
 * The labels of the WHATWG Encoding Standard (https://encoding.spec.whatwg.org/#names-and-labels)
 * for every encoding mail uses, by the name of the encoding they stand for. `us-ascii`, `latin1`
 * and `iso-8859-1` are windows-1252 there, as in every browser and mail client: senders label
 * windows-1252 text (curly quotes at 0x91–0x94) with them all the time.
 */
const LABELS: Readonly<Record<string, string>> = {
  'utf-8': 'unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8',
  ibm866: '866 cp866 csibm866 ibm866',
  'iso-8859-2': 'csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2',
  'iso-8859-3': 'csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3',
  'iso-8859-4': 'csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4',
  'iso-8859-5':
    'csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988',
  'iso-8859-6':
    'arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987',
  'iso-8859-7':
    'csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek',
  'iso-8859-8':
    'csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical',
  'iso-8859-10': 'csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6',
  'iso-8859-13': 'iso-8859-13 iso8859-13 iso885913',
  'iso-8859-14': 'iso-8859-14 iso8859-14 iso885914',
  'iso-8859-15': 'csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9',
  'iso-8859-16': 'iso-8859-16',
  'koi8-r': 'cskoi8r koi koi8 koi8-r koi8_r',
  'koi8-u': 'koi8-ru koi8-u',
  macintosh: 'csmacintosh mac macintosh x-mac-roman',
  'windows-874': 'dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874',
  'windows-1250': 'cp1250 windows-1250 x-cp1250',
  'windows-1251': 'cp1251 windows-1251 x-cp1251',
  'windows-1252':
    'ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252',
  'windows-1253': 'cp1253 windows-1253 x-cp1253',
  'windows-1254':
    'cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254',
  'windows-1255': 'cp1255 windows-1255 x-cp1255',
  'windows-1256': 'cp1256 windows-1256 x-cp1256',
  'windows-1257': 'cp1257 windows-1257 x-cp1257',
  'windows-1258': 'cp1258 windows-1258 x-cp1258',
  'x-mac-cyrillic': 'x-mac-cyrillic x-mac-ukrainian',
  gbk: 'chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk',
  gb18030: 'gb18030',
  big5: 'big5 big5-hkscs cn-big5 csbig5 x-x-big5',
  'euc-jp': 'cseucpkdfmtjapanese euc-jp x-euc-jp',
  'iso-2022-jp': 'csiso2022jp iso-2022-jp',
  shift_jis: 'csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis',
  'euc-kr':
    'cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949',
  'utf-16be': 'unicodefffe utf-16be',
  'utf-16le': 'csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le',
};

/**
 * The iconv-lite codec that decodes each WHATWG encoding as the standard defines it: gbk with the
 * gb18030 decoder, big5 as Big5-HKSCS, shift_jis as Windows-31J, euc-kr as the UHC (cp949) superset.
 */
const CODECS: Readonly<Record<string, string>> = {
  'utf-8': 'utf8',
  ibm866: 'cp866',
  'koi8-r': 'koi8-r',
  'koi8-u': 'koi8-u',
  macintosh: 'macintosh',
  'x-mac-cyrillic': 'maccyrillic',
  gbk: 'gb18030',
  gb18030: 'gb18030',
  big5: 'big5hkscs',
  'euc-jp': 'eucjp',
  shift_jis: 'cp932',
  'euc-kr': 'cp949',
  'utf-16be': 'utf16-be',
  'utf-16le': 'utf16le',
};

const ENCODING_BY_LABEL: ReadonlyMap<string, string> = new Map(
  Object.entries(LABELS).flatMap(([name, labels]) =>
    labels.split(' ').map((label) => [label, name] as const),
  ),
);

/**
 * The WHATWG encoding a charset label names (`"ISO-8859-1"` → `windows-1252`), read as the
 * standard reads labels (case and surrounding white space ignored), with the `cpNNN`/`x-`
 * spellings mail clients add; undefined for a label it does not know.
 */
function encodingForLabel(label: string): string | undefined {
  const key = label.trim().toLowerCase().replace(/^"|"$/g, '');
  const known = ENCODING_BY_LABEL.get(key);
  if (known !== undefined) return known;
  const codePage = /^(?:cp|windows-?|ms|ibm|x-cp)(\d{3,5})$/.exec(key)?.[1];
  if (codePage === '932') return 'shift_jis';
  if (codePage === '936') return 'gbk';
  if (codePage === '949') return 'euc-kr';
  if (codePage === '950') return 'big5';
  if (codePage !== undefined) return ENCODING_BY_LABEL.get(`windows-${codePage}`);
  return ENCODING_BY_LABEL.get(key.replace(/^x-/, ''));
}

/**
 * Decodes the bytes of a text part by the WHATWG Encoding Standard, with iconv-lite rather than
 * the runtime's `TextDecoder` (Node 20.18.3 and later decode windows-1252 as Latin-1, turning
 * `’ “ ”` into C1 control characters). An unknown or missing label is read as UTF-8, as the
 * standard's fallback for mail is; invalid sequences become U+FFFD, which the digest checks
 * count. ISO-2022-JP, which iconv-lite lacks, goes to the runtime's decoder, which gets it right.
 */
export function decodeCharset(bytes: Uint8Array, label: string | undefined): string {
  const encoding = (label === undefined ? undefined : encodingForLabel(label)) ?? 'utf-8';
  if (encoding === 'iso-2022-jp') return new TextDecoder('iso-2022-jp').decode(bytes);
  const codec = CODECS[encoding] ?? encoding;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = iconv.decode(buffer, codec, {
    stripBOM: encoding === 'utf-8' || encoding.startsWith('utf-16'),
  });
  if (!encoding.startsWith('windows-')) return text;
  // The standard's windows-125x indexes give the bytes they leave unassigned in 0x80–0x9F their
  // C1 code points; iconv-lite gives U+FFFD. One character per byte, so positions line up.
  if (!text.includes('\uFFFD')) return text;
  let fixed = '';
  for (let i = 0; i < text.length; i++) {
    const byte = buffer[i] as number;
    fixed += text[i] === '\uFFFD' && byte >= 0x80 && byte <= 0x9f ? String.fromCharCode(byte) : text[i];
  }
  return fixed;
}
