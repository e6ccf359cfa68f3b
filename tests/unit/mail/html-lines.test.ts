import { readFileSync } from 'node:fs';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { parseMailDigest } from '@feedwright/mail';
import { describe, expect, it } from 'vitest';
import { digestAsHtml, rawMessage, TEXT_DIR } from './mail-fixtures.ts';

const FROM = 'From: CX Daily <daily@newsletter.example.com>';
const seedText = readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`, 'utf8');
const seed = parseDigest(decodeDigest(readFileSync(`${TEXT_DIR}cx-daily-2020-12-01.txt`)));

function htmlMessage(html: string): Uint8Array {
  return rawMessage(
    [FROM, 'Subject: Daily', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8'],
    html,
  );
}

/** The seed as HTML with `markup` put in after its first story's first paragraph. */
function seedWith(markup: string): string {
  const anchor = '<p>In response, China’s top lawmakers';
  const html = digestAsHtml(seedText);
  expect(html).toContain(anchor);
  return html.replace(anchor, `${markup}${anchor}`);
}

describe('Function: parseMailDigest, on hidden text in an HTML-only message', () => {
  it.each([
    ['a display:none span', '<span style="display:none">Hidden words.</span>'],
    [
      'a display: none !important div',
      '<div style="DISPLAY: none !important; font-size:1px">Hidden words.</div>',
    ],
    ['a visibility:hidden paragraph', '<p style="visibility:hidden">Hidden words.</p>'],
    ['an element with the hidden attribute', '<div hidden><p>Hidden words.</p><p>Hidden headline</p></div>'],
    ['a template', '<template><p>Hidden words.</p><p>Hidden headline</p></template>'],
    ['a noscript', '<noscript><p>Hidden words.</p></noscript>'],
    [
      'an iframe with fallback text',
      '<iframe src="https://example.com/x">Hidden words. Hidden headline</iframe>',
    ],
    [
      'a style and a script',
      '<style>p { color: red } Hidden</style><script>var hidden = "Hidden words.";</script>',
    ],
    ['an Outlook conditional comment', '<!--[if mso]><p>Hidden words.</p><p>Hidden headline</p><![endif]-->'],
    ['an mso-hide:all block', '<div style="mso-hide:all; max-height:0; overflow:hidden">Hidden words.</div>'],
    [
      'a zero-height overflow-hidden block',
      '<div style="max-height:0px;overflow:hidden">Hidden words.</div>',
    ],
    ['an opacity:0 span', '<span style="opacity: 0">Hidden words.</span>'],
    [
      'a class hidden by the style sheet',
      '<style>.preheader { display: none; }</style><p class="preheader">Hidden words.</p>',
    ],
    [
      'an image’s alt text and a tracking pixel',
      '<p><img src="https://t.example/o.gif" width="1" height="1" alt="Hidden words."></p>',
    ],
  ])('leaves out %s', async (_, markup) => {
    // Act
    const { digest } = await parseMailDigest(htmlMessage(seedWith(markup)));

    // Assess
    expect(JSON.stringify(digest)).not.toMatch(/Hidden|hidden = /);
    expect(digest.stories).toEqual(seed.stories);
  });

  it('keeps what a style sheet hides only on small screens (@media)', async () => {
    // Prepare
    const html = seedWith(
      '<style>@media only screen and (max-width:480px) { .wide { display: none !important; } }</style><p class="wide">Shown on a desktop.</p>',
    );

    // Act
    const { digest } = await parseMailDigest(htmlMessage(html));

    // Assess
    expect(digest.stories[0]?.paragraphs[1]).toBe('Shown on a desktop.');
  });
});

describe('Function: parseMailDigest, on HTML layouts', () => {
  it('reads a table layout with long titles and paragraphs unwrapped, one line per row', async () => {
    // Prepare
    const blocks = seedText
      .replace(/\r\n/g, '\n')
      .split(/\n\n/)
      .filter((b) => b.trim());
    const rows = blocks
      .map(
        (block) =>
          `<tr><td style="padding:0 24px;font-family:Georgia,serif;font-size:16px;line-height:24px">${block.replace(/&/g, '&amp;').replace(/\n/g, '<br>\n')}</td></tr>`,
      )
      .join('\n');
    const html = `<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center"><table width="600" role="presentation">${rows}</table></td></tr></table>`;

    // Act
    const { digest } = await parseMailDigest(htmlMessage(html));

    // Assess
    expect(digest.stories).toEqual(seed.stories);
  });

  it('reads quick hits sent as a <ul> as stories, without list markers', async () => {
    // Prepare
    const html = digestAsHtml(seedText).replace(
      '<p>Globalization is not in decline, Chatham House head says</p>\n<p>China’s recovery on track as factory index climbs to three-year high</p>\n<p>Global differences on data use will likely make trade less open, Lamy says</p>',
      '<ul><li>Globalization is not in decline, Chatham House head says</li><li>China’s recovery on track as factory index climbs to three-year high</li>\n<li><a href="https://example.com/lamy">Global differences on data use will likely make trade less open, Lamy says</a></li></ul>',
    );
    expect(html).toContain('<ul>');

    // Act
    const { digest } = await parseMailDigest(htmlMessage(html));

    // Assess
    expect(digest.stories).toEqual(seed.stories);
  });

  it('keeps a body list’s items as list items, with their markers', async () => {
    // Prepare
    const html = seedWith(
      '<p>The draft would:</p><ul><li>Ban selling data</li><li>Fine offenders</li></ul><ol start="3"><li>Third</li></ol>',
    );

    // Act
    const { digest } = await parseMailDigest(htmlMessage(html));

    // Assess
    expect(digest.stories[0]?.paragraphs.slice(1, 5)).toEqual([
      'The draft would:',
      '• Ban selling data',
      '• Fine offenders',
      '3. Third',
    ]);
  });
});
