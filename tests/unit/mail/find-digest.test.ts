import { readFileSync } from 'node:fs';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { parseMailDigest } from '@feedwright/mail';
import { describe, expect, it } from 'vitest';
import { digestErrorOfAsync, rawMessage, TEXT_DIR } from './mail-fixtures.ts';

const FROM = 'From: CX Daily <daily@newsletter.example.com>';
const seedText = readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`, 'utf8').replace(/\r\n/g, '\n');
const seed = parseDigest(decodeDigest(readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`)));

/** The seed with `line` put in as the second paragraph of its first story. */
function withSecondParagraph(line: string): string {
  const anchor = 'In response, China’s top lawmakers';
  return seedText.replace(anchor, `${line}\n\n${anchor}`);
}

describe('Function: parseMailDigest, on forward markers', () => {
  it.each([
    'Begin forwarded message:',
    '---------- Forwarded message ---------',
    '-------- Forwarded Message --------',
    '-----Original Message-----',
  ])('keeps a story that quotes "%s": a forward is looked for only above the date line', async (marker) => {
    // Prepare
    const text = withSecondParagraph(marker);
    const expected = parseDigest(text);
    expect(expected.stories[0]?.paragraphs[1]).toBe(marker);

    // Act
    const { digest } = await parseMailDigest(rawMessage([FROM, 'Subject: Daily'], text));

    // Assess
    expect(digest.stories).toEqual(expected.stories);
  });

  it('still unwraps a forward whose marker stands above the date line', async () => {
    // Prepare
    const text = `Have a look.\n\nBegin forwarded message:\n\nFrom: CX Daily <daily@newsletter.example.com>\nSubject: Daily\nDate: 1 December 2020 at 09:30:00 GMT+8\nTo: me@example.com\n\n${withSecondParagraph('Begin forwarded message:')}`;

    // Act
    const { digest } = await parseMailDigest(rawMessage([FROM, 'Subject: Fwd: Daily'], text));

    // Assess
    expect(digest.stories).toEqual(parseDigest(withSecondParagraph('Begin forwarded message:')).stories);
  });
});

describe('Function: parseMailDigest, on what stands around the digest in a plain-text part', () => {
  it('drops a "View this post on the web at" line and the list footer of a Substack-style text part', async () => {
    // Prepare
    const text = [
      'View this post on the web at https://cxdaily.substack.com/p/the-fight-over-chinas-law',
      '',
      seedText.slice(0, seedText.indexOf('Thanks for reading')).trimEnd(),
      '',
      'Unsubscribe https://substack.com/redirect/2/eyJlIjoiaHR0cHM6Ly9jeGRhaWx5',
      '',
      '© 2020 CX Daily',
      '548 Market Street PMB 72296, San Francisco, CA 94104',
    ].join('\n');

    // Act
    const { digest } = await parseMailDigest(rawMessage([FROM, 'Subject: Daily'], text));

    // Assess
    expect(digest.title).toBe(seed.title);
    expect(digest.stories).toEqual(seed.stories);
  });

  it('still refuses a mail with no date line, quoting its first line', async () => {
    // Act
    const error = await digestErrorOfAsync(
      parseMailDigest(rawMessage([FROM, 'Subject: Hi'], 'Hi all,\n\nLunch on Friday?\n')),
    );

    // Assess
    expect(error.code).toBe('NO_DATE');
    expect(error.message).toMatch(/not 'Hi all,'/);
  });
});
