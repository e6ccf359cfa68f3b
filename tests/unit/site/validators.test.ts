import { Feed } from 'feed';
import { describe, expect, it } from 'vitest';
import {
  ATOM_SCHEMATRON,
  atomRelaxNgProblems,
  atomSchematronProblems,
  htmlProblems,
  htmlValidatorProblems,
  jsonFeedProblems,
  xmlWellFormednessProblems,
} from '../../support/validators.ts';

// feed@6's own output is the known-bad input here: each check must catch the flaw it is there for.
function feedSix(title: string, options: { itemAuthor?: boolean } = {}): Feed {
  const feed = new Feed({
    title: 'Test',
    id: 'tag:feeds.example.com,2020:feed/all',
    link: 'https://feeds.example.com/',
    updated: new Date('2020-12-01T09:19:00Z'),
    feedLinks: { atom: 'https://feeds.example.com/feeds/all/atom.xml' },
  });
  feed.addItem({
    title,
    id: 'tag:feeds.example.com,2020:story/a',
    link: 'https://feeds.example.com/stories/a.html',
    date: new Date('2020-12-01T09:19:00Z'),
    category: [{ name: 'Investment' }],
    ...(options.itemAuthor === true ? { author: [{ name: 'Editors' }] } : {}),
  });
  return feed;
}

describe('Validators', () => {
  it('reads the three Schematron rules from atom.sch', () => {
    // Assess
    expect(ATOM_SCHEMATRON).toHaveLength(3);
    expect(ATOM_SCHEMATRON.map((rule) => rule.context)).toEqual(['atom:feed', 'atom:entry', 'atom:entry']);
  });

  it('rejects XML broken by a second "]]>" in a CDATA section (feed@6)', async () => {
    // Prepare
    const rss = feedSix('one ]]> two ]]> three').rss2();

    // Act
    const problems = await xmlWellFormednessProblems([{ path: 'feeds/all/rss.xml', body: rss }]);

    // Assess
    expect(problems.join('\n')).toMatch(/parser error/);
  });

  it('rejects XML carrying a control character (feed@6)', async () => {
    // Prepare
    const rss = feedSix('bell \u0007 here').rss2();

    // Act
    const problems = await xmlWellFormednessProblems([{ path: 'feeds/all/rss.xml', body: rss }]);

    // Assess
    expect(problems).not.toEqual([]);
  });

  it('rejects an Atom category without term against the RFC 4287 grammar (feed@6)', async () => {
    // Prepare
    const atom = feedSix('Plain title', { itemAuthor: true }).atom1();

    // Act
    const problems = await atomRelaxNgProblems([{ path: 'feeds/all/atom.xml', body: atom }]);

    // Assess
    expect(problems.join('\n')).toMatch(/category/);
  });

  it('reports an Atom entry without author when the feed has none (feed@6)', async () => {
    // Prepare
    const atom = feedSix('Plain title').atom1();

    // Act
    const problems = await atomSchematronProblems({ path: 'feeds/all/atom.xml', body: atom });

    // Assess
    expect(problems).toEqual([
      '1 × An atom:feed must have an atom:author unless all of its atom:entry children have an atom:author.',
      '1 × An atom:entry must have an atom:author if its feed does not.',
    ]);
  });

  it('reports an Atom entry with neither alternate link nor content', async () => {
    // Prepare
    const atom = [
      '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title><updated>2020-12-01T00:00:00Z</updated>',
      '<author><name>a</name></author><entry><id>urn:y</id><title>t</title><updated>2020-12-01T00:00:00Z</updated>',
      '<link rel="related" href="https://example.com/"/></entry></feed>',
    ].join('');

    // Act
    const problems = await atomSchematronProblems({ path: 'feeds/all/atom.xml', body: atom });

    // Assess
    expect(problems).toEqual([
      "1 × An atom:entry must have at least one atom:link element with a rel attribute of 'alternate' or an atom:content.",
    ]);
  });

  it('rejects a JSON Feed 1.0 document with a singular author (feed@6)', () => {
    // Prepare
    const json = feedSix('Plain title', { itemAuthor: true }).json1();

    // Act
    const problems = jsonFeedProblems(json);

    // Assess
    expect(problems.join('\n')).toMatch(/\/version/);
  });

  it('rejects a JSON Feed item with neither content_html nor content_text', () => {
    // Prepare
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 't',
      items: [{ id: '1', title: 'x' }],
    });

    // Act
    const problems = jsonFeedProblems(json);

    // Assess
    expect(problems).not.toEqual([]);
  });

  it('finds live script, image and event handlers in a page', () => {
    // Prepare
    const page =
      '<!doctype html><html><head><title>t</title></head><body><p><img src=x onerror="alert(1)"><script>1</script></p></body></html>';

    // Act
    const problems = htmlProblems(page);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        'live <img> element',
        'live <script> element',
        'event handler onerror on <img>',
      ]),
    );
  });

  it('finds what the HTML standard refuses in a page that parses cleanly', () => {
    // Prepare: no lang, a duplicate id, a list item outside a list.
    const page =
      '<!DOCTYPE html><html><head><title>t</title></head><body><p id="a">x</p><p id="a"><li>y</li></p></body></html>';

    // Act
    const problems = htmlValidatorProblems(page);

    // Assess
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(
      expect.arrayContaining(['element-required-attributes', 'no-dup-id']),
    );
  });
});
