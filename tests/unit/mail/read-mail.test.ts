import { readFileSync } from 'node:fs';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { acceptMailDigest, parseAllowedSenders, parseMailDigest, readMail } from '@feedwright/mail';
import { describe, expect, it } from 'vitest';
import { digestErrorOfAsync, eml, rawMessage, TEXT_DIR } from './mail-fixtures.ts';

function textDigest(name: string, timezone = 'UTC') {
  return parseDigest(decodeDigest(readFileSync(`${TEXT_DIR}${name}.txt`)), { timezone });
}

const FROM = 'From: CX Daily <daily@newsletter.example.com>';
const seedText = readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`, 'utf8');

describe('Function: parseMailDigest, on the .eml fixtures', () => {
  it.each([
    ['cx-daily-2020-12-01', 'cx-daily-2020-12-01', 'UTC', 'multipart/alternative, quoted-printable UTF-8'],
    ['cx-daily-2022-10-17-cjk-gb18030', 'cx-daily-2022-10-17-cjk', 'UTC', 'base64 in GB 18030'],
    ['cx-daily-2021-06-02-nbsp-forwarded', 'cx-daily-2021-06-02-nbsp', 'UTC', 'a Gmail forward'],
    [
      'cx-daily-2022-03-14-new-york-quoted',
      'cx-daily-2022-03-14-new-york',
      'America/New_York',
      'an Apple Mail forward, quoted with >',
    ],
    ['cx-daily-2023-05-09-property-attachments', 'cx-daily-2023-05-09-property', 'UTC', 'two attachments'],
  ])('parses %s exactly as the plain-text %s (%s, %s)', async (mailName, textName, timezone) => {
    // Prepare
    const expected = textDigest(textName, timezone);

    // Act
    const { digest } = await parseMailDigest(eml(mailName), { timezone });

    // Assess
    expect(digest.stories.length).toBeGreaterThan(0);
    expect(digest).toEqual(expected);
  });

  it('reads an HTML-only message from its HTML part, with the same stories and a warning', async () => {
    // Prepare
    const expected = textDigest('cx-daily-2020-12-01');

    // Act
    const { digest } = await parseMailDigest(eml('cx-daily-2020-12-01-html-only'));

    // Assess
    expect(digest.stories).toEqual(expected.stories);
    expect(digest.title).toBe(expected.title);
    expect(digest.warnings[0]).toMatch(/no plain-text part: its HTML part was read/);
  });

  it('ignores attachments, even a text/plain one', async () => {
    // Act
    const { digest } = await parseMailDigest(eml('cx-daily-2023-05-09-property-attachments'));

    // Assess
    expect(digest.stories.map((s) => s.title)).not.toContain('A story in an attachment');
  });

  it('refuses a message with only an attachment as NO_TEXT, saying what to do', async () => {
    // Act
    const error = await digestErrorOfAsync(parseMailDigest(eml('attachment-only')));

    // Assess
    expect(error.code).toBe('NO_TEXT');
    expect(error.message).toBe(
      'the message has no text part (only an attachment, which is ignored): mail the digest as the text of the message',
    );
  });

  it('refuses a mail that is not a digest with the parser reason', async () => {
    // Act
    const error = await digestErrorOfAsync(parseMailDigest(eml('not-a-digest')));

    // Assess
    expect(error.code).toBe('NO_DATE');
  });
});

describe('Function: readMail', () => {
  it('returns the From: address, the subject and the text', async () => {
    // Act
    const mail = await readMail(eml('cx-daily-2020-12-01'));

    // Assess
    expect(mail.from).toBe('daily@newsletter.example.com');
    expect(mail.subject).toBe('Caixin daily 2020-12-01');
    expect(mail.text.replace(/\r\n/g, '\n').trimEnd()).toBe(seedText.trimEnd());
    expect(mail.warnings).toEqual([]);
  });

  it('refuses a message over the size limit from its size, before parsing it', async () => {
    // Act
    const error = await digestErrorOfAsync(readMail(eml('cx-daily-2020-12-01'), { maxBytes: 1000 }));

    // Assess
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/over the 1000 bytes limit/);
  });

  it('refuses an empty message', async () => {
    // Act
    const error = await digestErrorOfAsync(readMail(new Uint8Array()));

    // Assess
    expect(error.code).toBe('EMPTY');
  });

  it('refuses a message whose text is only blank lines and non-breaking spaces as BLANK', async () => {
    // Prepare
    const raw = rawMessage([FROM, 'Content-Type: text/plain; charset=utf-8'], '\n\u00a0\n   \n');

    // Act
    const error = await digestErrorOfAsync(parseMailDigest(raw));

    // Assess
    expect(error.code).toBe('BLANK');
    expect(error.message).toMatch(/^the message's text/);
  });

  it('refuses a binary text part (control bytes) as BINARY, naming the message', async () => {
    // Prepare
    const binary = Buffer.from(Array.from({ length: 400 }, (_, i) => i % 32)).toString('base64');
    const raw = rawMessage(
      [FROM, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'],
      binary,
    );

    // Act
    const error = await digestErrorOfAsync(readMail(raw));

    // Assess
    expect(error.code).toBe('BINARY');
    expect(error.message).toMatch(/^the message's text is binary data/);
  });

  it('refuses NUL bytes in the text part', async () => {
    // Prepare
    const raw = rawMessage([FROM, 'Content-Type: text/plain; charset=utf-8'], `${seedText.slice(0, 200)}\0x`);

    // Act
    const error = await digestErrorOfAsync(readMail(raw));

    // Assess
    expect(error.code).toBe('NUL_BYTES');
  });

  it('decodes a Latin-1 quoted-printable part', async () => {
    // Prepare
    const raw = rawMessage(
      [FROM, 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable'],
      'Caf=E9 cr=E8me=\n br=FBl=E9e',
    );

    // Act
    const mail = await readMail(raw);

    // Assess
    expect(mail.text.trimEnd()).toBe('Café crème brûlée');
  });

  it('has no From: address when the message has none', async () => {
    // Prepare
    const raw = rawMessage(['Content-Type: text/plain'], seedText);

    // Act
    const mail = await readMail(raw);

    // Assess
    expect(mail.from).toBeUndefined();
  });

  it('keeps markup of an HTML-only message as text, never running it', async () => {
    // Prepare
    const html =
      '<p>Dec 01, 2020 09:19 AM</p><p>Title &lt;script&gt;x&lt;/script&gt;</p><script>alert(1)</script><p>Topic /</p><p>A story</p><p>Body.</p>';
    const raw = rawMessage([FROM, 'Content-Type: text/html; charset=utf-8'], html);

    // Act
    const { digest } = await parseMailDigest(raw);

    // Assess
    expect(digest.title).toBe('Title <script>x</script>');
    expect(JSON.stringify(digest)).not.toContain('alert(1)');
  });
});

describe('Function: acceptMailDigest', () => {
  const allowList = parseAllowedSenders('@newsletter.example.com');

  it('parses a message from an allowed sender as parseMailDigest does', async () => {
    // Prepare
    const expected = await parseMailDigest(eml('cx-daily-2020-12-01'));

    // Act
    const accepted = await acceptMailDigest(eml('cx-daily-2020-12-01'), {
      policy: { verdicts: 'trusted', allowedSenders: allowList },
    });

    // Assess
    expect(accepted.digest).toEqual(expected.digest);
  });

  it('refuses a sender not on the list as SENDER_REFUSED, before looking at the body', async () => {
    // Prepare
    const raw = rawMessage(['From: someone@other.example', 'Content-Type: application/pdf'], 'x');

    // Act
    const error = await digestErrorOfAsync(
      acceptMailDigest(raw, { policy: { verdicts: 'trusted', allowedSenders: allowList } }),
    );

    // Assess
    expect(error.code).toBe('SENDER_REFUSED');
    expect(error.message).toMatch(/someone@other.example is not on the allowed senders list/);
  });

  it('refuses, through SES, a message that carries no SES verdicts', async () => {
    // Act
    const error = await digestErrorOfAsync(
      acceptMailDigest(eml('cx-daily-2020-12-01'), {
        policy: { verdicts: 'ses', allowedSenders: allowList },
      }),
    );

    // Assess
    expect(error.code).toBe('SENDER_REFUSED');
    expect(error.message).toMatch(/not authenticated/);
  });
});

describe('Function: readMail, on messages built to be hard to read', () => {
  it('refuses a message with 40,000 attachments by saying it has too many parts', async () => {
    // Prepare
    const part =
      '--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="a.bin"\r\n\r\nAA==\r\n';
    const raw = Buffer.concat([
      Buffer.from(
        `${FROM}\r\nSubject: Daily\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${seedText}\r\n`,
      ),
      Buffer.from(part.repeat(40_000)),
      Buffer.from('--b--\r\n'),
    ]);

    // Act
    const error = await digestErrorOfAsync(readMail(raw));

    // Assess
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toBe(
      'the message cannot be read as e-mail: it has 40,001 parts (attachments and the like), over the 1,000 a message may have; mail the digest as the text of an ordinary message',
    );
    expect(error.message).not.toMatch(/Maximum header size/);
  });

  it('refuses a message whose own header is over 2 MiB in words, not postal-mime’s', async () => {
    // Prepare
    const raw = rawMessage(
      [FROM, ...Array.from({ length: 30_000 }, (_, i) => `X-Padding-${i}: ${'x'.repeat(60)}`)],
      seedText,
    );

    // Act
    const error = await digestErrorOfAsync(readMail(raw, { maxBytes: 10 * 1024 * 1024 }));

    // Assess
    expect(error.code).toBe('UNREADABLE');
    expect(error.message).toBe(
      'the message cannot be read as e-mail: its header is over 2 MiB; mail the digest as the text of an ordinary message',
    );
  });
});
