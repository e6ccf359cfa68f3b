/**
 * Encodes an object key the way S3 writes it into event notifications.
 *
 * S3 documents the key as "URL encoded … application/x-www-form-urlencoded" ("red flower.jpg"
 * becomes "red+flower.jpg"). Observed events follow form encoding as Java's `URLEncoder` does it —
 * letters, digits and `-_.*` kept, space as `+`, every other byte of the UTF-8 form as `%XX` in
 * upper case — except that `/` is left as it is. s3rver hands out raw keys, so the local stack
 * encodes them here, and the ingest handler decodes them (`decodeS3Key` of `@feedwright/pipeline`)
 * exactly as it would on AWS.
 */
export function encodeS3EventKey(key: string): string {
  let encoded = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    if (isKeptAsIs(byte)) {
      encoded += String.fromCharCode(byte);
    } else if (byte === SPACE) {
      encoded += '+';
    } else {
      encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return encoded;
}

const SPACE = 0x20;

function isKeptAsIs(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    byte === 0x2d || // -
    byte === 0x5f || // _
    byte === 0x2e || // .
    byte === 0x2a || // *
    byte === 0x2f // /
  );
}
