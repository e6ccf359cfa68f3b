import { mailKeyFor, type SmtpInbox, type SmtpInboxOptions, startSmtpInbox } from '@feedwright/local-stack';
import { parseAllowedSenders, refusalOf } from '@feedwright/mail';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';

const stored = new Map<string, Buffer>();
let inbox: SmtpInbox | undefined;

async function start(maxBytes = 64 * 1024, check?: SmtpInboxOptions['check']): Promise<SmtpInbox> {
  stored.clear();
  inbox = await startSmtpInbox({
    port: 0,
    maxBytes,
    ...(check === undefined ? {} : { check }),
    store: async (key, raw) => {
      stored.set(key, raw);
    },
    log: () => {},
  });
  return inbox;
}

function transport(port: number) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
}

afterEach(async () => {
  await inbox?.close();
  inbox = undefined;
});

describe('Function: startSmtpInbox', () => {
  it('stores a message sent with nodemailer under mail/, for any recipient', async () => {
    // Prepare
    const { port } = await start();

    // Act
    const info = await transport(port).sendMail({
      from: 'daily@newsletter.example.com',
      to: 'whoever@anything.example',
      subject: 'Digest',
      text: 'Dec 01, 2020 09:19 AM\n\nTitle',
    });
    await inbox?.idle();

    // Assess
    expect(info.accepted).toEqual(['whoever@anything.example']);
    const [key, raw] = [...stored][0] ?? [];
    expect(key).toMatch(/^mail\/\d{8}-[0-9a-f]{16}\.eml$/);
    expect(info.response).toContain(`stored as ${key}`);
    expect(raw?.toString()).toContain('Subject: Digest');
  });

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    // Prepare
    const { port } = await start(2000);

    // Act
    const error = await transport(port)
      .sendMail({ from: 'a@x.example', to: 'b@y.example', text: 'x'.repeat(5000) })
      .catch((e: { responseCode?: number }) => e);

    // Assess
    expect((error as { responseCode?: number }).responseCode).toBe(552);
    expect(stored.size).toBe(0);
  });
});

describe('Function: startSmtpInbox, with the acceptance check', () => {
  type SendError = { responseCode?: number; response?: string };

  it.each([
    ['SENDER_REFUSED', 550, '5.7.1'],
    ['NO_DATE', 554, '5.6.0'],
    ['TOO_LARGE', 552, '5.3.4'],
  ])(
    'answers a message refused with %s by %i at the end of DATA, with the reason, and stores nothing',
    async (code, responseCode, status) => {
      // Prepare
      const seen: Buffer[] = [];
      const { port } = await start(64 * 1024, async (raw) => {
        seen.push(raw);
        return { code, reason: 'the reason “why”, in full' };
      });

      // Act
      const error = (await transport(port)
        .sendMail({ from: 'a@x.example', to: 'b@y.example', subject: 'Digest', text: 'Hello' })
        .catch((e: SendError) => e)) as SendError;

      // Assess
      expect(error.responseCode).toBe(responseCode);
      expect(error.response).toBe(
        `${responseCode} ${status} refused, nothing published: the reason "why", in full`,
      );
      expect(seen[0]?.toString()).toContain('Subject: Digest');
      expect(stored.size).toBe(0);
    },
  );

  it('stores what the check lets through', async () => {
    // Prepare
    const { port } = await start(64 * 1024, async () => undefined);

    // Act
    const info = await transport(port).sendMail({ from: 'a@x.example', to: 'b@y.example', text: 'x' });
    await inbox?.idle();

    // Assess
    expect(info.response).toMatch(/stored as mail\//);
    expect(stored.size).toBe(1);
  });

  it('with ingest’s acceptance (refusalOf), refuses two From: addresses with 550 and the reason', async () => {
    // Prepare
    const policy = {
      verdicts: 'trusted',
      allowedSenders: parseAllowedSenders('editor@example.com'),
    } as const;
    const { port } = await start(64 * 1024, (raw) => refusalOf(raw, { policy }));
    const raw = [
      'From: editor@example.com',
      'From: evil@attacker.com',
      'To: digests@localhost',
      'Subject: Daily',
      '',
      'Dec 01, 2020 09:19 AM',
      '',
      'Title',
      '',
      'Summary.',
      '',
      'Topic /',
      '',
      'Story',
      '',
      'Body.',
      '',
    ].join('\r\n');

    // Act
    const error = (await transport(port)
      .sendMail({ envelope: { from: 'editor@example.com', to: ['digests@localhost'] }, raw })
      .catch((e: SendError) => e)) as SendError;

    // Assess
    expect(error.responseCode).toBe(550);
    expect(error.response).toBe(
      '550 5.7.1 refused, nothing published: the message has 2 From: addresses (editor@example.com, evil@attacker.com): a message that claims more than one sender cannot publish; send it from one address',
    );
    expect(stored.size).toBe(0);
  });
});

describe('Function: mailKeyFor', () => {
  it('names the same bytes on the same day alike, and other bytes otherwise', () => {
    // Prepare
    const day = new Date('2026-11-29T10:00:00Z');

    // Act
    const a = mailKeyFor(Buffer.from('one'), day);
    const again = mailKeyFor(Buffer.from('one'), new Date('2026-11-29T23:59:00Z'));
    const other = mailKeyFor(Buffer.from('two'), day);

    // Assess
    expect(a).toMatch(/^mail\/20261129-[0-9a-f]{16}\.eml$/);
    expect(again).toBe(a);
    expect(other).not.toBe(a);
  });
});
