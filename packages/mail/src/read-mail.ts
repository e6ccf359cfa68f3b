import {
  acceptDigestText,
  DEFAULT_MAX_DIGEST_BYTES,
  type Digest,
  DigestError,
  type DigestErrorCode,
  decodeDigest,
  type ParseOptions,
  tooLargeError,
} from '@feedwright/digest';
import PostalMime, { addressParser, type Email } from 'postal-mime';
import { findDigest } from './find-digest.ts';
import { type MimeText, mimeText, TooManyPartsError } from './mime-text.ts';
import {
  checkSender,
  type MailHeader,
  type SenderPolicy,
  type SenderRefusal,
  type SesReceiptVerdicts,
  sesVerdictsFromHeaders,
} from './sender-policy.ts';

/** Options of {@link readMail} and {@link parseMailDigest}. */
export interface ReadMailOptions {
  /** Refuse messages longer than this many bytes, attachments included. @default DEFAULT_MAX_DIGEST_BYTES */
  readonly maxBytes?: number;
}

/** A message reduced to what ingest needs: who sent it, what SES said of it, and its digest text. */
export interface MailDigestText {
  /** The `From:` address, or undefined when the message has none. */
  readonly from: string | undefined;
  /** Every address of every `From:` header: more than one is refused by {@link checkSender}. */
  readonly fromAddresses: readonly string[];
  readonly subject: string | undefined;
  /** The verdicts SES added to the message's headers (empty for mail that did not pass SES). */
  readonly verdicts: SesReceiptVerdicts;
  /** Every header, in document order. */
  readonly headers: readonly MailHeader[];
  /** The digest text: the plain part (or the HTML part as text), forwarding unwrapped. */
  readonly text: string;
  /** Things tolerated (an HTML-only message), to be added to the digest's own warnings. */
  readonly warnings: readonly string[];
}

/** Mail text goes through the same byte checks as a file: this says "the message" where they say "the file". */
function asMessageError(error: DigestError): DigestError {
  return new DigestError(error.code, error.message.replace(/^the file\b/, "the message's text"));
}

/** A message read: its headers (by postal-mime) and its text parts (decoded from raw bytes). */
interface OpenedMail {
  readonly email: Email;
  readonly body: MimeText;
}

/** The top-level header block of a raw message, with the blank line that ends it. */
function headerBlock(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i < bytes.length - 1; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return bytes.subarray(0, i + 2);
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return bytes.subarray(0, i + 3);
  }
  return bytes;
}

function unreadable(what: string): DigestError {
  return new DigestError(
    'UNREADABLE',
    `the message cannot be read as e-mail: ${what}; mail the digest as the text of an ordinary message`,
  );
}

/** postal-mime's reasons in words a sender can act on. */
function whyUnreadable(error: Error): string {
  const size = /Maximum header size of (\d+) bytes exceeded/.exec(error.message)?.[1];
  if (size !== undefined) return `its header is over ${Number(size) / 1024 / 1024} MiB`;
  return error.message;
}

async function openMail(bytes: Uint8Array, options: ReadMailOptions): Promise<OpenedMail> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  if (bytes.length > maxBytes) throw tooLargeError(bytes.length, maxBytes);
  if (bytes.length === 0) {
    throw new DigestError('EMPTY', 'the message is empty: mail the digest as the text of a message');
  }
  let body: MimeText;
  try {
    body = mimeText(bytes);
  } catch (error) {
    if (error instanceof TooManyPartsError) {
      throw unreadable(error.message);
    }
    throw error;
  }
  try {
    // The headers only: the body's parts were read above, each decoded from its own bytes.
    return { email: await PostalMime.parse(headerBlock(bytes)), body };
  } catch (error) {
    throw unreadable(whyUnreadable(error as Error));
  }
}

/** Every mailbox of every `From:` header (groups flattened), in order. */
function fromAddressesOf(email: Email): string[] {
  return email.headers
    .filter((header) => header.key === 'from')
    .flatMap((header) => addressParser(header.value, { flatten: true }))
    .map((mailbox) => ('address' in mailbox ? (mailbox.address ?? '') : ''))
    .filter((address) => address.length > 0);
}

function senderOf(
  email: Email,
): Pick<MailDigestText, 'from' | 'fromAddresses' | 'subject' | 'verdicts' | 'headers'> {
  const from = email.from?.address;
  return {
    from: from === undefined || from.length === 0 ? undefined : from,
    fromAddresses: fromAddressesOf(email),
    subject: email.subject,
    verdicts: sesVerdictsFromHeaders(email.headers),
    headers: email.headers.map(({ key, value }) => ({ key, value })),
  };
}

/** Where the digest stands in a message: its plain-text part, else its HTML part's lines. */
async function digestBody(parts: MimeText): Promise<{ text: string; warnings: string[] } | undefined> {
  const plain =
    parts.plain !== undefined && parts.plain.trim().length > 0 ? findDigest(parts.plain) : undefined;
  if (plain?.found) return { text: plain.text, warnings: [] };
  let html: ReturnType<typeof findDigest> | undefined;
  if (parts.html !== undefined && parts.html.trim().length > 0) {
    // Loaded on first use: only mail whose digest is in its HTML needs parse5, so ingest's cold
    // start does not evaluate it.
    const { htmlToDigestLines } = await import('./html-lines.ts');
    html = findDigest(htmlToDigestLines(parts.html));
  }
  if (html !== undefined && (html.found || plain === undefined)) {
    return {
      text: html.text,
      warnings: [
        plain === undefined
          ? 'the message has no plain-text part: its HTML part was read, which may place lines differently; send the digest as plain text'
          : 'the plain-text part holds no digest (no date line): its HTML part was read',
      ],
    };
  }
  return plain === undefined ? undefined : { text: plain.text, warnings: [] };
}

async function textOf({ body: parts }: OpenedMail): Promise<Pick<MailDigestText, 'text' | 'warnings'>> {
  const body = await digestBody(parts);
  if (body === undefined && (parts.plain !== undefined || parts.html !== undefined)) {
    throw new DigestError(
      'BLANK',
      "the message's text is blank: mail the digest as the text of the message, not as an attachment",
    );
  }
  if (body === undefined) {
    const attached = parts.parts;
    throw new DigestError(
      'NO_TEXT',
      `the message has no text part${attached === 1 ? ' (only an attachment, which is ignored)' : attached > 1 ? ` (only ${attached} attachments, which are ignored)` : ''}: mail the digest as the text of the message`,
    );
  }
  try {
    // The decoded text as UTF-8 bytes: the same binary, NUL and blank checks as an uploaded file.
    const text = decodeDigest(new TextEncoder().encode(body.text), { maxBytes: Number.POSITIVE_INFINITY });
    return { text, warnings: body.warnings };
  } catch (error) {
    if (error instanceof DigestError) throw asMessageError(error);
    throw error;
  }
}

/**
 * Reads a raw e-mail message (RFC 5322, as SES stores it or as an `.eml` file holds it) and
 * returns its digest text.
 *
 * The headers are read by postal-mime; the body's parts from the message's own bytes, each
 * decoded from quoted-printable or base64 and then from its charset by the WHATWG Encoding
 * Standard (`mimeText`). The digest is the `text/plain` part's; when that part holds no date line
 * (or there is none), the HTML part's lines are used (`htmlToDigestLines`), with a warning. In
 * either, the digest is found from its date line to its end, with an e-mail service's frame and a
 * forwarder's note around it dropped (`findDigest`). Attachments are ignored. The text then passes
 * the same checks as a file's bytes (binary data, NUL bytes).
 *
 * @throws {DigestError} `TOO_LARGE` (from the message's size, before it is read), `EMPTY`,
 *   `UNREADABLE` (a header over 2 MiB, or more parts than a message may have, each said in
 *   words), `BLANK`, `BINARY`, `NUL_BYTES`, or `NO_TEXT` for a message with neither a plain nor
 *   an HTML part.
 */
export async function readMail(bytes: Uint8Array, options: ReadMailOptions = {}): Promise<MailDigestText> {
  const opened = await openMail(bytes, options);
  return { ...senderOf(opened.email), ...(await textOf(opened)) };
}

/** Adds the message's warnings (an HTML-only message) before the parser's own. */
function withMailWarnings(digest: Digest, mail: Pick<MailDigestText, 'warnings'>): Digest {
  if (mail.warnings.length === 0) return digest;
  return { ...digest, warnings: [...mail.warnings, ...digest.warnings] };
}

/**
 * {@link readMail}, then the digest acceptance path on its text (`acceptDigestText`: the parser and
 * the story limits): a mailed digest as a {@link Digest}, the same as the plain-text file would give
 * (plus a warning for an HTML-only message).
 *
 * @throws {DigestError} as {@link readMail} and `acceptDigestText` do.
 */
export async function parseMailDigest(
  bytes: Uint8Array,
  options: ReadMailOptions & ParseOptions = {},
): Promise<{ readonly mail: MailDigestText; readonly digest: Digest }> {
  const mail = await readMail(bytes, options);
  return { mail, digest: parseMailText(mail, options) };
}

/** Options of {@link acceptMailDigest}. */
export interface AcceptMailOptions extends ReadMailOptions, ParseOptions {
  /** Who may publish, and whether SES verdicts are required. */
  readonly policy: SenderPolicy;
}

/**
 * The acceptance path of a mailed digest: the size limit, the MIME reading, the sender (allow-list
 * and SES verdicts, {@link checkSender}) before anything of the body is used, then the text and
 * the digest parser, as {@link parseMailDigest}.
 *
 * @throws {DigestError} `SENDER_REFUSED` with the reason, or as {@link parseMailDigest}.
 */
export async function acceptMailDigest(
  bytes: Uint8Array,
  options: AcceptMailOptions,
): Promise<{ readonly mail: MailDigestText; readonly digest: Digest }> {
  const opened = await openMail(bytes, options);
  const sender = senderOf(opened.email);
  const refusal = checkSender(sender.fromAddresses, sender.verdicts, options.policy);
  if (refusal !== undefined) throw new DigestError('SENDER_REFUSED', refusal.reason);
  const mail = { ...sender, ...(await textOf(opened)) };
  return { mail, digest: parseMailText(mail, options) };
}

function parseMailText(mail: MailDigestText, options: ParseOptions): Digest {
  try {
    return withMailWarnings(acceptDigestText(mail.text, { timezone: options.timezone ?? 'UTC' }), mail);
  } catch (error) {
    if (error instanceof DigestError && (error.code === 'BLANK' || error.code === 'EMPTY')) {
      throw asMessageError(error);
    }
    throw error;
  }
}

/** Why {@link refusalOf} refuses a message: the code of its `DigestError` and its reason. */
export interface MailRefusal {
  readonly code: DigestErrorCode;
  readonly reason: string;
}

/**
 * Runs {@link acceptMailDigest} on a message and says why ingest would refuse it, or `undefined`
 * when it would publish it: for a mail door that answers the sender before storing anything (the
 * local SMTP server refuses at the end of DATA).
 */
export async function refusalOf(
  bytes: Uint8Array,
  options: AcceptMailOptions,
): Promise<MailRefusal | undefined> {
  try {
    await acceptMailDigest(bytes, options);
    return undefined;
  } catch (error) {
    if (error instanceof DigestError) return { code: error.code, reason: error.message };
    throw error;
  }
}

/**
 * Whether a message's sender may publish under `policy`, from its headers alone ({@link
 * checkSender} on its `From:` addresses and SES's verdicts): what a repair checks again when the
 * policy may have changed since the message was published.
 *
 * @throws {DigestError} as {@link readMail} does for a message that cannot be read.
 */
export async function senderRefusalOf(
  bytes: Uint8Array,
  policy: SenderPolicy,
  options: ReadMailOptions = {},
): Promise<SenderRefusal | undefined> {
  const { email } = await openMail(bytes, options);
  const sender = senderOf(email);
  return checkSender(sender.fromAddresses, sender.verdicts, policy);
}
