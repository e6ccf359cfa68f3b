import { DigestError } from './errors.ts';

/** Largest digest accepted by default: 5 MiB. A day's newsletter is a few tens of KiB. */
export const DEFAULT_MAX_DIGEST_BYTES = 5 * 1024 * 1024;

/** Options of {@link decodeDigest}. */
export interface DecodeOptions {
  /** Refuse inputs longer than this many bytes. @default DEFAULT_MAX_DIGEST_BYTES */
  readonly maxBytes?: number;
}

/**
 * Invalid UTF-8 sequences tolerated (each replaced with U+FFFD, which {@link parseDigest} reports
 * as a warning): at most this many, and at most one per hundred characters. More than that is
 * not a stray byte but text in another encoding (Windows-1252, Latin-1, GB 18030), and repairing
 * it would mangle every quote mark, so it is rejected instead.
 */
const MAX_REPLACED_SEQUENCES = 8;

/** Share of control bytes in the first {@link SNIFF_BYTES} above which data counts as binary. */
const MAX_CONTROL_SHARE = 0.05;
const SNIFF_BYTES = 64 * 1024;

interface Magic {
  readonly what: string;
  readonly at: number;
  readonly bytes: readonly number[];
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

// File signatures of what people upload by mistake instead of a digest.
const MAGICS: readonly Magic[] = [
  { what: 'a PNG image', at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { what: 'a GIF image', at: 0, bytes: ascii('GIF8') },
  { what: 'a JPEG image', at: 0, bytes: [0xff, 0xd8, 0xff] },
  { what: 'a RIFF media file (WebP, WAV or AVI)', at: 0, bytes: ascii('RIFF') },
  { what: 'a TIFF image', at: 0, bytes: [0x49, 0x49, 0x2a, 0x00] },
  { what: 'a TIFF image', at: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { what: 'a PDF document', at: 0, bytes: ascii('%PDF-') },
  { what: 'a ZIP archive (or a .docx/.xlsx document)', at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { what: 'an empty ZIP archive', at: 0, bytes: [0x50, 0x4b, 0x05, 0x06] },
  { what: 'a legacy Office document (.doc/.xls)', at: 0, bytes: [0xd0, 0xcf, 0x11, 0xe0] },
  { what: 'a gzip archive', at: 0, bytes: [0x1f, 0x8b] },
  { what: 'a bzip2 archive', at: 0, bytes: ascii('BZh') },
  { what: 'an xz archive', at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { what: 'a zstd archive', at: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { what: 'a 7-Zip archive', at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { what: 'a RAR archive', at: 0, bytes: ascii('Rar!') },
  { what: 'an executable', at: 0, bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'an executable', at: 0, bytes: ascii('MZ') },
  { what: 'a SQLite database', at: 0, bytes: ascii('SQLite format 3') },
  { what: 'a video or audio file', at: 4, bytes: ascii('ftyp') },
  { what: 'an Ogg audio file', at: 0, bytes: ascii('OggS') },
];

function startsWithAt(bytes: Uint8Array, at: number, expected: readonly number[]): boolean {
  if (bytes.length < at + expected.length) return false;
  for (let i = 0; i < expected.length; i++) {
    if (bytes[at + i] !== expected[i]) return false;
  }
  return true;
}

function sniffMagic(bytes: Uint8Array): string | undefined {
  for (const magic of MAGICS) {
    // 'MZ' alone would also match text starting with those letters; executables have a NUL soon after.
    if (magic.bytes.length === 2 && magic.what === 'an executable' && bytes.indexOf(0) < 0) continue;
    if (startsWithAt(bytes, magic.at, magic.bytes)) return magic.what;
  }
  return undefined;
}

function isControlByte(b: number): boolean {
  // Tab, line feed, vertical tab, form feed and carriage return occur in text files.
  return (b < 0x20 && (b < 0x09 || b > 0x0d)) || b === 0x7f;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * The `TOO_LARGE` error for a digest of `size` bytes, for callers that refuse a file from its size
 * before reading it (as they should), with the same message {@link decodeDigest} gives.
 */
export function tooLargeError(size: number, maxBytes: number): DigestError {
  return new DigestError(
    'TOO_LARGE',
    `the file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a digest: check that it is the right file`,
  );
}

const SAVE_AS_UTF8 = 'save the digest as plain text in UTF-8';

/** NUL bytes mostly at odd offsets are the signature of ASCII text saved as UTF-16LE without a BOM. */
function looksLikeBomlessUtf16(sample: Uint8Array): boolean {
  let oddNul = 0;
  let evenNul = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] === 0) {
      if (i % 2 === 1) oddNul++;
      else evenNul++;
    }
  }
  const pairs = Math.floor(sample.length / 2);
  return pairs > 0 && oddNul / pairs > 0.6 && evenNul / pairs < 0.1;
}

function checkControlBytes(bytes: Uint8Array, what: string): void {
  const sample = bytes.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (isControlByte(sample[i] as number)) controls++;
  }
  if (controls > sample.length * MAX_CONTROL_SHARE) {
    if (looksLikeBomlessUtf16(sample)) {
      throw new DigestError(
        'NUL_BYTES',
        `${what} looks like UTF-16 text without a byte order mark (NUL bytes between the letters): ${SAVE_AS_UTF8}`,
      );
    }
    const percent = Math.round((controls / sample.length) * 100);
    throw new DigestError(
      'BINARY',
      `${what} is binary data, not a text digest (${percent}% control bytes): upload the digest's plain text`,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new DigestError(
      'NUL_BYTES',
      `${what} contains NUL bytes (the first at byte ${nul}): it is corrupted or not plain text; ${SAVE_AS_UTF8}`,
    );
  }
}

function countReplacements(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) count++;
  return count;
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): string {
  const body = bytes.subarray(2);
  if (body.length % 2 !== 0) {
    throw new DigestError(
      'INVALID_UTF16',
      `the file starts with a UTF-16 byte order mark but has an odd number of bytes (${bytes.length}): it is truncated or not UTF-16; ${SAVE_AS_UTF8}`,
    );
  }
  let units = body;
  if (bigEndian) {
    // Swapping to little-endian avoids depending on ICU data for the 'utf-16be' label.
    units = new Uint8Array(body.length);
    for (let i = 0; i < body.length; i += 2) {
      units[i] = body[i + 1] as number;
      units[i + 1] = body[i] as number;
    }
  }
  const text = new TextDecoder('utf-16le', { fatal: false, ignoreBOM: true }).decode(units);
  if (text.includes('\0')) {
    throw new DigestError(
      'NUL_BYTES',
      `the file (UTF-16 text) contains NUL characters: it is corrupted or not plain text; ${SAVE_AS_UTF8}`,
    );
  }
  return text;
}

/**
 * Turns the bytes of an uploaded digest into text, or says why they are not a digest.
 *
 * Checks, in order: the size limit (`TOO_LARGE`), no bytes (`EMPTY`), a known binary signature
 * such as PNG, GIF, JPEG, PDF or ZIP, or more than 5% control bytes in the first 64 KiB
 * (`BINARY`), NUL bytes (`NUL_BYTES`), then UTF-8 validity.
 *
 * Encodings: UTF-8, with or without a byte order mark (the BOM is dropped). A few invalid UTF-8
 * sequences (at most 8, and at most 1% of the text) are replaced with U+FFFD, which
 * {@link parseDigest} then reports as a warning; more than that is rejected as `INVALID_UTF8`
 * because the file is in another encoding. Text that starts with a UTF-16 byte order mark
 * (what Windows editors save as "Unicode") is decoded as UTF-16 LE or BE; UTF-32 and UTF-16
 * without a byte order mark are rejected with a message saying to save as UTF-8.
 *
 * Pure: no I/O. Line ends and whitespace are left for {@link parseDigest}.
 *
 * @throws {DigestError} with the codes above.
 */
export function decodeDigest(bytes: Uint8Array, options: DecodeOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  if (bytes.length > maxBytes) throw tooLargeError(bytes.length, maxBytes);
  if (bytes.length === 0) {
    throw new DigestError(
      'EMPTY',
      "the file is empty: a digest starts with a date line like 'Dec 01, 2020 09:19 AM'",
    );
  }
  if (startsWithAt(bytes, 0, [0xff, 0xfe, 0x00, 0x00]) || startsWithAt(bytes, 0, [0x00, 0x00, 0xfe, 0xff])) {
    throw new DigestError(
      'INVALID_UTF16',
      `the file is UTF-32 text, which is not supported: ${SAVE_AS_UTF8}`,
    );
  }
  let text: string;
  if (startsWithAt(bytes, 0, [0xff, 0xfe]) || startsWithAt(bytes, 0, [0xfe, 0xff])) {
    text = decodeUtf16(bytes, bytes[0] === 0xfe);
  } else {
    const magic = sniffMagic(bytes);
    if (magic !== undefined) {
      throw new DigestError(
        'BINARY',
        `the file is ${magic}, not a text digest: upload the digest's plain text`,
      );
    }
    checkControlBytes(bytes, 'the file');
    const body = startsWithAt(bytes, 0, [0xef, 0xbb, 0xbf]) ? bytes.subarray(3) : bytes;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(body);
      const replaced = countReplacements(text);
      if (replaced > MAX_REPLACED_SEQUENCES || replaced * 100 > text.length) {
        const first = new TextEncoder().encode(text.slice(0, text.indexOf('\uFFFD'))).length;
        throw new DigestError(
          'INVALID_UTF8',
          `the file is not UTF-8 text: ${replaced} invalid byte sequences, the first at byte ${first + (body === bytes ? 0 : 3)} (is it Windows-1252, Latin-1 or GBK?); ${SAVE_AS_UTF8}`,
        );
      }
    }
  }
  if (text.length === 0) {
    throw new DigestError(
      'EMPTY',
      "the file holds only a byte order mark: a digest starts with a date line like 'Dec 01, 2020 09:19 AM'",
    );
  }
  return text;
}
