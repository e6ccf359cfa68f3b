import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

/** Options of {@link startSmtpInbox}. */
export interface SmtpInboxOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Largest message taken (announced in EHLO as SIZE); larger ones get 552. */
  readonly maxBytes: number;
  /** Stores one received message under `key` (in the incoming bucket's `mail/`). */
  readonly store: (key: string, raw: Buffer) => Promise<void>;
  readonly log: (line: string) => void;
  /** The key prefix messages are stored under. @default 'mail/' */
  readonly prefix?: string;
  /**
   * Runs ingest's acceptance of a mailed digest (sender policy, MIME, parser, limits) on a message
   * before it is stored, and says why it is refused, if it is: the sender is told at the end of
   * DATA, and nothing is stored. Every message is stored when absent.
   */
  readonly check?: (raw: Buffer) => Promise<MailRefusal | undefined>;
}

/** Why a message is refused: its reason's code (a `DigestErrorCode`) and the reason itself. */
interface MailRefusal {
  readonly code: string;
  readonly reason: string;
}

/**
 * The SMTP reply to a refused message (RFC 5321, enhanced codes of RFC 3463): 550 5.7.1 for a
 * sender who may not publish, 552 5.3.4 for a message over the digest limit, 554 5.6.0 for content
 * that is not a digest. The reason is put on one line, as a reply line must be.
 */
function refusalReply(refusal: MailRefusal): { responseCode: number; message: string } {
  const [responseCode, status] =
    refusal.code === 'SENDER_REFUSED'
      ? [550, '5.7.1']
      : refusal.code === 'TOO_LARGE'
        ? [552, '5.3.4']
        : [554, '5.6.0'];
  // Reply lines are ASCII (no SMTPUTF8 here): typographic quotes and dashes spelt plainly.
  const reason = refusal.reason
    .replace(/\s+/g, ' ')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e]/g, '?');
  const line = `${status} refused, nothing published: ${reason}`;
  return { responseCode, message: line.length > 480 ? `${line.slice(0, 479)}…` : line };
}

/** A running SMTP inbox. */
export interface SmtpInbox {
  readonly host: string;
  readonly port: number;
  /** Messages accepted and being stored. */
  readonly busy: boolean;
  /** Resolves once every message accepted so far is stored. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The key a received message is stored under: `mail/<UTC date>-<first 16 hex of its SHA-256>.eml`.
 * The same bytes delivered twice on one day land on the same key (one digest, not two); SES names
 * its objects by its own message id instead, which ingest treats alike.
 */
export function mailKeyFor(raw: Buffer, receivedAt: Date, prefix = 'mail/'): string {
  const day = receivedAt.toISOString().slice(0, 10).replace(/-/g, '');
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 16);
  return `${prefix}${day}-${hash}.eml`;
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The local stack's mail door: an SMTP server (smtp-server) that takes mail for any recipient
 * without authentication or TLS, on loopback only, and stores each message in the incoming bucket
 * under `mail/`, so the same ingest runs as for mail SES received. With `check`, a message that
 * ingest would refuse (a sender not allowed, two From: addresses, not a digest…) is refused in the
 * SMTP dialogue instead, at the end of DATA, with the reason, and is not stored: the sender's mail
 * client tells them, and nothing goes live.
 */
export async function startSmtpInbox(options: SmtpInboxOptions): Promise<SmtpInbox> {
  const host = options.host ?? '127.0.0.1';
  const prefix = options.prefix ?? 'mail/';
  const inFlight = new Set<Promise<void>>();
  const idleWaiters: Array<() => void> = [];
  const wakeIfIdle = () => {
    if (inFlight.size === 0) for (const wake of idleWaiters.splice(0)) wake();
  };

  const server = new SMTPServer({
    name: 'feedwright.localhost',
    banner: 'feedwright local stack: mail a digest in',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxBytes,
    logger: false,
    onData(stream, session, callback) {
      const task = (async () => {
        const raw = await readAll(stream);
        if (stream.sizeExceeded) {
          const error = new Error(
            `message too large: over the ${options.maxBytes} bytes limit for a digest`,
          ) as Error & { responseCode: number };
          error.responseCode = 552;
          throw error;
        }
        const from = session.envelope.mailFrom === false ? '<>' : session.envelope.mailFrom.address;
        const refusal = await options.check?.(raw);
        if (refusal !== undefined) {
          const reply = refusalReply(refusal);
          options.log(`mail: ${from} refused (${refusal.code}): ${refusal.reason}`);
          throw Object.assign(new Error(reply.message), { responseCode: reply.responseCode });
        }
        const key = mailKeyFor(raw, new Date(), prefix);
        await options.store(key, raw);
        options.log(`mail: ${from} → ${key} (${raw.length} bytes)`);
        return key;
      })();
      const tracked = task.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(tracked);
      tracked.finally(() => {
        inFlight.delete(tracked);
        wakeIfIdle();
      });
      task.then(
        (key) => callback(null, `stored as ${key}`),
        (error: Error) => callback(error),
      );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.log(`smtp: ${error.message}`));
  const address = server.server.address() as AddressInfo;

  return {
    host,
    port: address.port,
    get busy() {
      return inFlight.size > 0;
    },
    idle: () =>
      inFlight.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    close: async () => {
      await Promise.allSettled([...inFlight]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
