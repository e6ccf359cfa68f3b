import { cleanText, escapeMarkup } from '@feedwright/site';
import { describe, expect, it } from 'vitest';

describe('cleanText', () => {
  it('removes the characters XML 1.0 forbids and keeps tab, line feed and carriage return', () => {
    // Act
    const cleaned = cleanText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\tLF\nCR\r');

    // Assess
    expect(cleaned).toBe('abcdefg\tLF\nCR\r');
  });

  it('removes lone surrogates, U+FFFE/U+FFFF and C1 controls but keeps astral characters', () => {
    // Act
    const cleaned = cleanText('x\uD800y\uDC00z\uFFFE\uFFFF\u0085\u007F 😀 中文');

    // Assess
    expect(cleaned).toBe('xyz 😀 中文');
  });

  it('removes supplementary noncharacters and a lone surrogate at either end, keeping valid pairs', () => {
    // Act
    const cleaned = cleanText('\uDC00a\u{1FFFE}b\u{10FFFF}c\u{10FFFD}d\u{1F600}\uD83D');

    // Assess
    expect(cleaned).toBe('abc\u{10FFFD}d\u{1F600}');
  });

  it('returns ordinary text unchanged', () => {
    // Prepare
    const text = 'China’s “Big Four” banks — 5G & M&A';

    // Act & Assess
    expect(cleanText(text)).toBe(text);
  });
});

describe('escapeMarkup', () => {
  it('escapes every character that could open markup or end an attribute or CDATA section', () => {
    // Act
    const escaped = escapeMarkup(`<a href="x" title='y'>AT&T</a> ]]>`);

    // Assess
    expect(escaped).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;AT&amp;T&lt;/a&gt; ]]&gt;');
  });

  it('escapes an existing entity again, so "&amp;" in a headline reads back as "&amp;"', () => {
    // Act & Assess
    expect(escapeMarkup('&amp;')).toBe('&amp;amp;');
  });
});
