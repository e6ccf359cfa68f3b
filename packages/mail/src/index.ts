/**
 * Newsletters by e-mail: a raw message (as SES stores it under `mail/`, as the local SMTP server
 * writes it, or as an `.eml` file) → the digest text, and who may publish. Pure, no I/O: MIME is
 * read from its raw bytes (charsets by the WHATWG Encoding Standard), HTML walked as a DOM (parse5).
 *
 * @packageDocumentation
 */
export { type Unwrapped, unwrapForwarded } from './forwarded.ts';
export {
  type AcceptMailOptions,
  acceptMailDigest,
  type MailDigestText,
  type MailRefusal,
  parseMailDigest,
  type ReadMailOptions,
  readMail,
  refusalOf,
  senderRefusalOf,
} from './read-mail.ts';
export {
  type AllowedSenders,
  checkSender,
  type MailHeader,
  parseAllowedSenders,
  type SenderPolicy,
  type SenderRefusal,
  type SesReceiptVerdicts,
  type SesVerdict,
  type SesVerdictStatus,
  sesVerdictsFromHeaders,
} from './sender-policy.ts';
