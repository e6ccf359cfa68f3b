import { parseMailDigest, unwrapForwarded } from '@feedwright/mail';
import { describe, expect, it } from 'vitest';
import { eml } from './mail-fixtures.ts';

const DIGEST = 'Dec 01, 2020 09:19 AM\n\nTitle\n\nTopic /\n\nStory\n\nBody.';

describe('Function: unwrapForwarded', () => {
  it('leaves a newsletter that was not forwarded as it is', () => {
    // Act
    const result = unwrapForwarded(DIGEST);

    // Assess
    expect(result).toEqual({ text: DIGEST, unwrapped: false });
  });

  it.each([
    ['Gmail', '---------- Forwarded message ---------'],
    ['Thunderbird', '-------- Forwarded Message --------'],
    ['Outlook', '-----Original Message-----'],
    ['Apple Mail', 'Begin forwarded message:'],
  ])('drops the note, the %s marker and the forwarded header block', (_client, marker) => {
    // Prepare
    const text = `See below.\n\n${marker}\nFrom: CX <a@x.com>\nDate: Tue, Dec 1, 2020\nSubject: Daily\nTo: <me@y.com>\n\n${DIGEST}`;

    // Act
    const result = unwrapForwarded(text);

    // Assess
    expect(result).toEqual({ text: DIGEST, unwrapped: true });
  });

  it("drops Outlook's underscore rule and its From:/Sent: block", () => {
    // Prepare
    const text = `________________________________\nFrom: CX <a@x.com>\nSent: Tuesday\nTo: me\nSubject: Daily\n\n${DIGEST}`;

    // Act
    const result = unwrapForwarded(text);

    // Assess
    expect(result.text).toBe(DIGEST);
  });

  it('strips > quoting when every line carries it, and a folded header line', () => {
    // Prepare
    const quoted = DIGEST.split('\n')
      .map((line) => (line ? `> ${line}` : '>'))
      .join('\n');
    const text = `Begin forwarded message:\n\n> From: CX <a@x.com>\n> To: a@y.com,\n>   b@y.com\n>\n${quoted}`;

    // Act
    const result = unwrapForwarded(text);

    // Assess
    expect(result.text).toBe(DIGEST);
  });

  it('unwraps a forward of a forward to the innermost newsletter', () => {
    // Prepare
    const inner = `---------- Forwarded message ---------\nFrom: CX <a@x.com>\n\n${DIGEST}`;
    const text = `FYI\n\n---------- Forwarded message ---------\nFrom: B <b@x.com>\nSubject: Fwd: Daily\n\n${inner}`;

    // Act
    const result = unwrapForwarded(text);

    // Assess
    expect(result.text).toBe(DIGEST);
  });

  it('keeps > quoting when only some lines carry it (a digest quoting someone)', () => {
    // Prepare
    const text = `${DIGEST}\n> a quoted line`;

    // Act
    const result = unwrapForwarded(text);

    // Assess
    expect(result).toEqual({ text, unwrapped: false });
  });
});

describe('Function: parseMailDigest, on a newsletter forwarded inline as message/rfc822', () => {
  it('drops the note and the header block postal-mime renders, and parses the newsletter', async () => {
    // Prepare
    const inner = eml('cx-daily-2023-05-09-property-attachments');
    const raw = Buffer.concat([
      Buffer.from(
        'From: ed@newsletter.example.com\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n',
      ),
      inner,
      Buffer.from('\r\n--b--\r\n'),
    ]);
    const expected = await parseMailDigest(inner);

    // Act
    const { digest } = await parseMailDigest(raw);

    // Assess
    expect(digest).toEqual(expected.digest);
  });
});
