import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDigest, parseDigest, type Story } from '@feedwright/digest';
import { buildSite, resolveSiteConfig } from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import { w3cFeedWarnings } from '../../support/w3c-feed-rules.ts';
import { DIGESTS_DIR } from '../digest/fixture-digests.ts';
import { aQuickHit, aStory } from './stories.ts';

const BASE_URLS = ['https://feeds.example.com/', 'http://127.0.0.1:8787/', 'https://example.org/news/feeds/'];

function fixtureStories(): Story[] {
  const dirs = [DIGESTS_DIR, join(DIGESTS_DIR, '../../../events/digests/')];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name.endsWith('.txt'))
      .flatMap((name) => {
        const text = decodeDigest(readFileSync(join(dir, name)));
        // The New York digest's wall times are read where it was written; the rest are UTC.
        const timezone = name.includes('new-york') ? 'America/New_York' : 'UTC';
        return parseDigest(text, { timezone }).stories;
      }),
  );
}

describe('W3C Feed Validator rules (CharacterData, MissingTextualContent)', () => {
  it('find no warning in any feed built from the fixture and sample digests, with three base URLs', () => {
    // Prepare
    const stories = fixtureStories();

    // Act
    const warnings = BASE_URLS.flatMap((baseUrl) =>
      buildSite(stories, resolveSiteConfig({ baseUrl, siteTitle: 'R&D <Daily>' })).flatMap((file) =>
        w3cFeedWarnings(file.path, file.body),
      ),
    );

    // Assess
    expect(stories.some((story) => story.paragraphs.length === 0)).toBe(true);
    expect(stories.some((story) => /[&<]/.test(JSON.stringify(story)))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('give quick hits an Atom summary and write & and < in RSS text as hexadecimal references', () => {
    // Prepare
    const story = aStory({ title: 'M&A <rules> tighten', paragraphs: ['Fees & <fines> rise.'] });

    // Act
    const files = buildSite([story, aQuickHit()], resolveSiteConfig({ baseUrl: BASE_URLS[0] }));
    const rss = files.find((file) => file.path === 'feeds/all/rss.xml')?.body ?? '';
    const atom = files.find((file) => file.path === 'feeds/all/atom.xml')?.body ?? '';

    // Assess
    expect(rss).toContain('<title>M&#x26;A &#x3C;rules&gt; tighten</title>');
    expect(rss).toContain('<description>Fees &#x26;amp; &#x26;lt;fines&#x26;gt; rise.</description>');
    expect(atom).toContain(`<summary type="text">${aQuickHit().title}</summary>`);
    expect(atom.match(/<entry>/g)?.length).toBe(atom.match(/<summary type="text">/g)?.length);
  });

  it('catch both warnings in what feedwright wrote before (&amp; in RSS text, Atom quick hits without text)', () => {
    // Prepare
    const rss = [
      '<rss version="2.0"><channel>',
      '  <title>R&amp;D</title>',
      '  <item>',
      '    <title>M&amp;A &lt;rules&gt;</title>',
      '    <description>Plain &#x26; simple</description>',
      '  </item>',
      '</channel></rss>',
    ].join('\n');
    const atom = [
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      '  <entry><id>tag:a</id><title>A</title><summary type="text">A</summary></entry>',
      '  <entry>',
      '    <id>tag:b</id><title>B</title><link rel="alternate" href="https://feeds.example.com/b"/>',
      '  </entry>',
      '</feed>',
    ].join('\n');

    // Act
    const warnings = [
      ...w3cFeedWarnings('feeds/x/rss.xml', rss),
      ...w3cFeedWarnings('feeds/x/atom.xml', atom),
    ];

    // Assess
    expect(warnings).toEqual([
      'feeds/x/rss.xml:2: CharacterData in <title>: R&D',
      'feeds/x/rss.xml:4: CharacterData in <title>: M&A <rules>',
      'feeds/x/atom.xml: MissingTextualContent in the entry tag:b',
    ]);
  });
});
