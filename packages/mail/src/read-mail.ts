import {
  acceptDigestText,
  DEFAULT_MAX_DIGEST_BYTES,
  type Digest,
  DigestError,
  decodeDigest,
  type ParseOptions,
  tooLargeError,
} from '@feedwright/digest';
import PostalMime, { type Email } from 'postal-mime';
import { unwrapForwarded } from './forwarded.ts';
import {
  checkSender,
  type MailHeader,
  type SenderPolicy,
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

/**
 * HTML → text for an HTML-only newsletter: one line per paragraph or heading (no wrapping), blank
 * lines between blocks, headings as written (not upper-cased), no link targets or images, so that
 * the digest parser sees the same lines as in a plain-text copy.
 */
async function htmlToDigestText(html: string): Promise<string> {
  // Loaded on first use: only HTML-only mail needs it, so ingest's cold start does not evaluate it.
  const { convert } = await import('html-to-text');
  const asWritten = { uppercase: false, leadingLineBreaks: 2, trailingLineBreaks: 2 };
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: asWritten },
      { selector: 'h2', options: asWritten },
      { selector: 'h3', options: asWritten },
      { selector: 'h4', options: asWritten },
      { selector: 'h5', options: asWritten },
      { selector: 'h6', options: asWritten },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  });
}

async function openMail(bytes: Uint8Array, options: ReadMailOptions): Promise<Email> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DIGEST_BYTES;
  if (bytes.length > maxBytes) throw tooLargeError(bytes.length, maxBytes);
  if (bytes.length === 0) {
    throw new DigestError('EMPTY', 'the message is empty: mail the digest as the text of a message');
  }
  try {
    return await PostalMime.parse(bytes, { attachmentEncoding: 'arraybuffer' });
  } catch (error) {
    throw new DigestError(
      'UNREADABLE',
      `the message cannot be read as e-mail (${(error as Error).message}): mail the digest as the text of an ordinary message`,
    );
  }
}

function senderOf(email: Email): Pick<MailDigestText, 'from' | 'subject' | 'verdicts' | 'headers'> {
  const from = email.from?.address;
  return {
    from: from === undefined || from.length === 0 ? undefined : from,
    subject: email.subject,
    verdicts: sesVerdictsFromHeaders(email.headers),
    headers: email.headers.map(({ key, value }) => ({ key, value })),
  };
}

async function textOf(email: Email): Promise<Pick<MailDigestText, 'text' | 'warnings'>> {
  const warnings: string[] = [];
  let body: string;
  if (email.text !== undefined && email.text.trim().length > 0) {
    body = email.text;
  } else if (email.html !== undefined && email.html.trim().length > 0) {
    body = await htmlToDigestText(email.html);
    warnings.push(
      'the message has no plain-text part: its HTML part was turned into text, which may place lines differently; send the digest as plain text',
    );
  } else if (email.text !== undefined || email.html !== undefined) {
    throw new DigestError(
      'BLANK',
      "the message's text is blank: mail the digest as the text of the message, not as an attachment",
    );
  } else {
    const attached = email.attachments.length;
    throw new DigestError(
      'NO_TEXT',
      `the message has no text part${attached === 1 ? ' (only an attachment, which is ignored)' : attached > 1 ? ` (only ${attached} attachments, which are ignored)` : ''}: mail the digest as the text of the message`,
    );
  }
  const { text: unwrapped } = unwrapForwarded(body);
  try {
    // The decoded text as UTF-8 bytes: the same binary, NUL and blank checks as an uploaded file.
    const text = decodeDigest(new TextEncoder().encode(unwrapped), { maxBytes: Number.POSITIVE_INFINITY });
    return { text, warnings };
  } catch (error) {
    if (error instanceof DigestError) throw asMessageError(error);
    throw error;
  }
}

/**
 * Reads a raw e-mail message (RFC 5322, as SES stores it or as an `.eml` file holds it) with
 * postal-mime and returns its digest text.
 *
 * The text is the `text/plain` part, decoded from quoted-printable or base64 and from its charset.
 * Only when there is no plain part is the HTML part used, turned into text by html-to-text, with a
 * warning. Attachments are ignored. A forwarded newsletter is unwrapped ({@link unwrapForwarded}).
 * The text then passes the same checks as a file's bytes (binary data, NUL bytes).
 *
 * @throws {DigestError} `TOO_LARGE` (from the message's size, before it is read), `EMPTY`,
 *   `UNREADABLE` (not MIME postal-mime can read), `BLANK`, `BINARY`, `NUL_BYTES`, or `NO_TEXT` for
 *   a message with neither a plain nor an HTML part.
 */
export async function readMail(bytes: Uint8Array, options: ReadMailOptions = {}): Promise<MailDigestText> {
  const email = await openMail(bytes, options);
  return { ...senderOf(email), ...(await textOf(email)) };
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
  const email = await openMail(bytes, options);
  const sender = senderOf(email);
  const refusal = checkSender(sender.from, sender.verdicts, options.policy);
  if (refusal !== undefined) throw new DigestError('SENDER_REFUSED', refusal.reason);
  const mail = { ...sender, ...(await textOf(email)) };
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
