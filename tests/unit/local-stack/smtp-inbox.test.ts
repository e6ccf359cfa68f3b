import { mailKeyFor, type SmtpInbox, startSmtpInbox } from '@feedwright/local-stack';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';

const stored = new Map<string, Buffer>();
let inbox: SmtpInbox | undefined;

async function start(maxBytes = 64 * 1024): Promise<SmtpInbox> {
  stored.clear();
  inbox = await startSmtpInbox({
    port: 0,
    maxBytes,
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
