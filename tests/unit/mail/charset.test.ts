import { readFileSync } from 'node:fs';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { parseMailDigest, readMail } from '@feedwright/mail';
import { describe, expect, it } from 'vitest';
import { digestAsHtml, quotedPrintable, rawMessage, TEXT_DIR } from './mail-fixtures.ts';

const FROM = 'From: CX Daily <daily@newsletter.example.com>';
const seedText = readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`, 'utf8');

/** windows-1252 bytes of text, written from the code page's table (the characters the seed uses). */
function windows1252(text: string): Uint8Array {
  const table: Record<string, number> = { '’': 0x92, '“': 0x93, '”': 0x94, '—': 0x97, '–': 0x96, '‘': 0x91 };
  return Uint8Array.from(Array.from(text), (c) => {
    const byte = table[c] ?? c.charCodeAt(0);
    if (byte > 0xff) throw new Error(`no windows-1252 byte for ${c}`);
    return byte;
  });
}

/** A message with one part of the given type, charset and transfer encoding. */
function singlePart(type: string, charset: string, encoding: string, body: string): Uint8Array {
  return rawMessage(
    [
      FROM,
      'Subject: Daily',
      'MIME-Version: 1.0',
      `Content-Type: ${type}; charset=${charset}`,
      `Content-Transfer-Encoding: ${encoding}`,
    ],
    body,
  );
}

describe('Function: parseMailDigest, on legacy charsets', () => {
  it.each(['windows-1252', 'iso-8859-1', 'us-ascii'])(
    'decodes 0x92 0x93 0x94 of a quoted-printable HTML part labelled %s as ’ “ ” (the WHATWG windows-1252)',
    async (label) => {
      // Prepare
      const expected = parseDigest(decodeDigest(readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`)));
      const html = windows1252(digestAsHtml(seedText));
      expect(Array.from(html).filter((byte) => byte >= 0x92 && byte <= 0x94).length).toBeGreaterThan(20);
      const raw = singlePart('text/html', label, 'quoted-printable', quotedPrintable(html));

      // Act
      const { digest } = await parseMailDigest(raw);

      // Assess
      expect(digest.title).toBe('CX Daily: The Fight Over China’s Law to Protect Personal Data');
      expect(digest.stories).toEqual(expected.stories);
      expect(JSON.stringify(digest)).not.toMatch(/[\u0080-\u009f]/);
    },
  );

  it('decodes a quoted-printable windows-1252 plain-text part the same way', async () => {
    // Prepare
    const raw = singlePart(
      'text/plain',
      'windows-1252',
      'quoted-printable',
      quotedPrintable(windows1252(seedText)),
    );

    // Act
    const { digest } = await parseMailDigest(raw);

    // Assess
    expect(digest.stories).toEqual(parseDigest(seedText).stories);
  });

  it.each([
    ['windows-1252', '92 93 94', '’“”'],
    ['windows-1251', 'cc e8 f0', 'Мир'],
    ['windows-1250', 'a3 f3 64 9f', 'Łódź'],
    ['iso-8859-2', 'a3 f3 64 bc', 'Łódź'],
    ['iso-8859-7', 'c5 eb eb dc e4 e1', 'Ελλάδα'],
    ['iso-8859-9', 'd0 fc fe', 'Ğüş'],
    ['koi8-r', 'ed c9 d2', 'Мир'],
    ['koi8-u', 'b7 d6 c1 cb', 'Їжак'],
    ['shift_jis', '93 fa 96 7b', '日本'],
    ['euc-kr', 'c7 d1 b1 b9', '한국'],
    ['ks_c_5601-1987', 'c7 d1 b1 b9', '한국'],
    ['gb18030', 'd6 d0 ce c4', '中文'],
    ['gb2312', 'd6 d0 ce c4', '中文'],
    ['big5', 'a4 a4 a4 e5', '中文'],
    ['cp1252', '93 94', '“”'],
  ])('decodes a base64 part in %s (%s → %s)', async (charset, hex, expected) => {
    // Prepare
    const bytes = Buffer.from(hex.replace(/ /g, ''), 'hex');
    const raw = singlePart('text/plain', charset, 'base64', bytes.toString('base64'));

    // Act
    const mail = await readMail(raw);

    // Assess
    expect(mail.text).toBe(expected);
  });
});
