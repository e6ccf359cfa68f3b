import { decodeCharset } from './charset.ts';

/** The text a message's body is made of, each part decoded from its transfer encoding and charset. */
export interface MimeText {
  /** The `text/plain` parts (one representation of each `multipart/alternative`), joined. */
  readonly plain: string | undefined;
  /** The `text/html` parts, joined likewise. */
  readonly html: string | undefined;
  /** How many leaf parts the message has (its text parts and its attachments). */
  readonly parts: number;
}

/** The most parts a message may have: a newsletter has two or three, with a few images. */
const MAX_MIME_PARTS = 1000;
/** How deep multiparts may nest before the message is taken for a hostile one. */
const MAX_DEPTH = 50;

/** A message with more parts than {@link MAX_MIME_PARTS}: what the reader says of it. */
export class TooManyPartsError extends Error {
  constructor(readonly parts: number) {
    const count = new Intl.NumberFormat('en-US');
    super(
      `it has ${count.format(parts)} parts (attachments and the like), over the ${count.format(MAX_MIME_PARTS)} a message may have`,
    );
  }
}

interface Part {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
  readonly disposition: string;
  readonly encoding: string;
  /** The body as a binary string: one character per byte. */
  readonly body: string;
}

/** Unfolded header fields of a header block, the first of each name kept (keys lower case). */
function headerFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const field of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    const key = field.slice(0, colon).trim().toLowerCase();
    if (!fields.has(key)) fields.set(key, field.slice(colon + 1).trim());
  }
  return fields;
}

/** `text/plain; charset="iso-8859-1"; format=flowed` → the value and its parameters. */
function structured(
  value: string | undefined,
  fallback: string,
): { value: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (value === undefined) return { value: fallback, params };
  const pieces = value.match(/(?:"(?:[^"\\]|\\.)*"|[^;])+/g) ?? [];
  const head = (pieces[0] ?? '').trim().toLowerCase();
  for (const piece of pieces.slice(1)) {
    const eq = piece.indexOf('=');
    if (eq <= 0) continue;
    let key = piece.slice(0, eq).trim().toLowerCase();
    let param = piece
      .slice(eq + 1)
      .trim()
      .replace(/^"((?:[^"\\]|\\.)*)"$/, (_, inner: string) => inner.replace(/\\(.)/g, '$1'));
    // RFC 2231: charset*=utf-8''value (the language and the percent-encoding are dropped).
    if (key.endsWith('*')) {
      key = key.slice(0, -1);
      param = param
        .replace(/^[^']*'[^']*'/, '')
        .replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    }
    if (!params.has(key)) params.set(key, param);
  }
  return { value: head.length > 0 ? head : fallback, params };
}

function splitPart(raw: string, defaultType: string): Part {
  const end = /\r?\n\r?\n/.exec(raw);
  const block = raw.startsWith('\n') || raw.startsWith('\r\n') ? '' : end ? raw.slice(0, end.index) : raw;
  const body =
    block.length === 0 ? raw.replace(/^\r?\n/, '') : end ? raw.slice(end.index + end[0].length) : '';
  const fields = headerFields(block);
  const type = structured(fields.get('content-type'), defaultType);
  return {
    type: type.value,
    params: type.params,
    disposition: structured(fields.get('content-disposition'), '').value,
    encoding: (fields.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase(),
    body,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The bodies of a multipart's parts: what stands between its boundary lines. */
function multipartBodies(body: string, boundary: string): string[] {
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const bodies: string[] = [];
  let start = -1;
  for (const match of body.matchAll(delimiter)) {
    if (start >= 0) bodies.push(body.slice(start, match.index).replace(/^\r?\n/, ''));
    if (match[1] === '--') return bodies;
    start = match.index + match[0].length;
  }
  // No closing delimiter: the last part runs to the end, as mail readers take it.
  if (start >= 0) bodies.push(body.slice(start).replace(/^\r?\n/, ''));
  return bodies;
}

function quotedPrintable(body: string): string {
  return body
    .replace(/[ \t]+(?=\r?\n)/g, '')
    .replace(/=(?:\r?\n|([0-9A-Fa-f]{2}))/g, (_, hex: string | undefined) =>
      hex === undefined ? '' : String.fromCharCode(Number.parseInt(hex, 16)),
    );
}

/** The part's bytes, undone from its Content-Transfer-Encoding. */
function contentBytes(part: Part): Uint8Array {
  if (part.encoding === 'base64') return Buffer.from(part.body.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  const binary = part.encoding === 'quoted-printable' ? quotedPrintable(part.body) : part.body;
  return Buffer.from(binary, 'latin1');
}

/** RFC 3676: joins the soft line breaks of `format=flowed` text and undoes space-stuffing. */
function unflow(text: string, delsp: boolean): string {
  const out: string[] = [];
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw === '-- ' ? raw : raw.replace(/^ /, '');
    const soft = line.endsWith(' ') && line !== '-- ';
    const piece = soft && delsp ? line.slice(0, -1) : line;
    current = current === undefined ? piece : current + piece;
    if (!soft) {
      out.push(current);
      current = undefined;
    }
  }
  if (current !== undefined) out.push(current);
  return out.join('\n');
}

function textOf(part: Part): string {
  const text = decodeCharset(contentBytes(part), part.params.get('charset'));
  if (part.type === 'text/plain' && part.params.get('format')?.toLowerCase() === 'flowed') {
    return unflow(text, part.params.get('delsp')?.toLowerCase() === 'yes');
  }
  return text;
}

interface Collected {
  plain: string[];
  html: string[];
  parts: number;
}

function collect(raw: string, defaultType: string, depth: number, into: Collected): void {
  const part = splitPart(raw, defaultType);
  if (part.type.startsWith('multipart/') && depth < MAX_DEPTH) {
    const boundary = part.params.get('boundary');
    const bodies = boundary ? multipartBodies(part.body, boundary) : [];
    const childType = part.type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    if (part.type === 'multipart/alternative') {
      // One representation of each type: the last, which is the richest the sender offers.
      const alternatives: Collected[] = bodies.map((body) => {
        const one: Collected = { plain: [], html: [], parts: 0 };
        collect(body, childType, depth + 1, one);
        return one;
      });
      into.parts += alternatives.reduce((sum, one) => sum + one.parts, 0);
      const plain = alternatives.findLast((one) => one.plain.length > 0);
      const html = alternatives.findLast((one) => one.html.length > 0);
      if (plain) into.plain.push(...plain.plain);
      if (html) into.html.push(...html.html);
    } else {
      for (const body of bodies) collect(body, childType, depth + 1, into);
    }
    return;
  }
  if (part.type === 'message/rfc822' && part.disposition !== 'attachment' && depth < MAX_DEPTH) {
    // A forward as an inline message: its text is read, its headers are not the digest's.
    collect(Buffer.from(contentBytes(part)).toString('latin1'), 'text/plain', depth + 1, into);
    return;
  }
  into.parts++;
  if (part.disposition === 'attachment') return;
  if (part.type === 'text/plain') into.plain.push(textOf(part));
  else if (part.type === 'text/html') into.html.push(textOf(part));
}

/**
 * Reads the text parts of a raw message from its bytes: the MIME structure walked, each part
 * decoded from its transfer encoding (base64, quoted-printable) and then from its own charset by
 * the WHATWG Encoding Standard ({@link decodeCharset}), `format=flowed` joined. Attachments
 * (`Content-Disposition: attachment`) are counted, not read.
 *
 * @throws {TooManyPartsError} when the message has more than {@link MAX_MIME_PARTS} parts.
 */
export function mimeText(bytes: Uint8Array): MimeText {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const into: Collected = { plain: [], html: [], parts: 0 };
  collect(raw, 'text/plain', 0, into);
  if (into.parts > MAX_MIME_PARTS) throw new TooManyPartsError(into.parts);
  return {
    plain: into.plain.length > 0 ? into.plain.join('\n') : undefined,
    html: into.html.length > 0 ? into.html.join('\n') : undefined,
    parts: into.parts,
  };
}
