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

/** Quoted-printable (RFC 2045) of bytes, lines of at most 76 characters: an independent writer for tests. */
export function quotedPrintable(bytes: Uint8Array): string {
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x0a) {
      lines.push(line);
      line = '';
      continue;
    }
    if (byte === 0x0d && bytes[i + 1] === 0x0a) continue;
    const piece =
      byte === 0x3d || byte < 0x20 || byte > 0x7e
        ? `=${byte.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(byte);
    if (line.length + piece.length > 75) {
      lines.push(`${line}=`);
      line = '';
    }
    line += piece;
  }
  lines.push(line);
  return lines
    .map((l) => l.replace(/[ \t]$/, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`))
    .join('\r\n');
}

/** A digest's text as simple HTML: one `<p>` per block, `<br>` between its lines, text escaped. */
export function digestAsHtml(text: string): string {
  const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const blocks = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\n/)
    .filter((block) => block.trim().length > 0);
  return `<!doctype html><html><body>${blocks.map((block) => `<p>${block.split('\n').map(escapeHtml).join('<br>')}</p>`).join('\n')}</body></html>`;
}
