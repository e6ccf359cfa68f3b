import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DigestError } from '@feedwright/digest';

/** Folder of the `.eml` fixtures (written by `make_fixtures.py` from the plain-text digests). */
const MAIL_DIR = fileURLToPath(new URL('../../fixtures/mail/', import.meta.url));
/** Folder of the plain-text digests the `.eml` fixtures were made from. */
export const TEXT_DIR = fileURLToPath(new URL('../../fixtures/digests/', import.meta.url));

/** The raw bytes of `tests/fixtures/mail/<name>.eml`. */
export function eml(name: string): Uint8Array {
  return readFileSync(`${MAIL_DIR}${name}.eml`);
}

/** The DigestError that `promise` rejects with (failing the test on anything else). */
export async function digestErrorOfAsync(promise: Promise<unknown>): Promise<DigestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DigestError) return error;
    throw error;
  }
  throw new Error('expected a DigestError, but the promise resolved');
}

/** A raw message from header lines and a body, with CRLF line ends as on the wire. */
export function rawMessage(headers: readonly string[], body: string): Uint8Array {
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`, 'utf8');
}
