import { InvalidStoryError, type Story } from '@feedwright/digest';
import {
  assignIssueIds,
  buildSite,
  type Issue,
  issueIdBase,
  renderMonthArchive,
  renderTopicPage,
  resolveSiteConfig,
} from '@feedwright/site';
import { describe, expect, it } from 'vitest';
import {
  attr,
  htmlElements,
  htmlProblems,
  readWithFeedsmith,
  siteProblems,
} from '../../support/validators.ts';
import { aStory, HOSTILE, HOSTILE_AS_TEXT, someStories } from './stories.ts';

const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
const topic = { slug: 'investment', name: 'Investment' };

/** A digest-like source of an issue. */
const aDigest = (
  overrides: Partial<{
    title: string;
    summary: string;
    publishedAt: string;
    date: string;
    stories: { storyId: string }[];
  }> = {},
) => ({
  title: 'CX Daily: The fight over China’s data law',
  summary: 'A law to protect personal data.',
  publishedAt: '2020-12-01T09:19:00Z',
  date: '2020-12-01',
  stories: [{ storyId: 'a' }, { storyId: 'b' }],
  ...overrides,
});

/** `count` long stories of December 2020, each about 2 KB. */
const longStories = (count: number): Story[] =>
  someStories(count).map((story) => ({ ...story, paragraphs: [`${'Long paragraph text. '.repeat(90)}`] }));

describe('renderMonthArchive', () => {
  it('splits a month over the byte budget into parts chained by prev-archive and next-archive', async () => {
    // Prepare
    const small = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/', maxFeedBytes: 16 * 1024 });
    const stories = longStories(30);

    // Act
    const archive = renderMonthArchive(
      topic,
      '2020-12',
      stories,
      { older: { month: '2020-11', part: 1 }, newer: '2021-01' },
      small,
    );

    // Assess
    expect(archive.parts).toBeGreaterThan(2);
    const atom = archive.files.filter((file) => file.path.endsWith('.xml'));
    expect(atom.map((file) => file.path)).toEqual(
      Array.from(
        { length: archive.parts },
        (_, i) => `feeds/investment/archive/2020-12${i === 0 ? '' : `-${i + 1}`}.xml`,
      ),
    );
    const ids: string[] = [];
    atom.forEach((file, index) => {
      expect(Buffer.byteLength(file.body)).toBeLessThanOrEqual(small.maxFeedBytes);
      const feed = readWithFeedsmith('atom', file.body);
      ids.push(...feed.items.map((item) => item.id));
      const prev = index === 0 ? '2020-11.xml' : `2020-12${index === 1 ? '' : `-${index}`}.xml`;
      const next = index === atom.length - 1 ? '2021-01.xml' : `2020-12-${index + 2}.xml`;
      expect(file.body).toContain(
        `rel="prev-archive" type="application/atom+xml" href="https://feeds.example.com/feeds/investment/archive/${prev}"`,
      );
      expect(file.body).toContain(
        `rel="next-archive" type="application/atom+xml" href="https://feeds.example.com/feeds/investment/archive/${next}"`,
      );
    });
    expect(new Set(ids).size).toBe(30);
    expect(ids).toHaveLength(30);
    // The oldest stories fill the first part: a new story can only change the last one.
    expect(readWithFeedsmith('atom', atom[0]?.body ?? '').items.at(-1)?.id).toContain('story-029');
    expect(await siteProblems(archive.files)).toEqual([]);
  });

  it('marks archive documents with fh:archive and rel="current", and chains JSON pages with next_url', () => {
    // Act
    const archive = renderMonthArchive(
      topic,
      '2020-12',
      someStories(3),
      { older: { month: '2020-10', part: 2 }, newer: null },
      config,
    );

    // Assess
    const [atom, json] = [
      archive.files.find((f) => f.path.endsWith('.xml')),
      archive.files.find((f) => f.path.endsWith('.json')),
    ];
    expect(atom?.body).toContain('<fh:archive/>');
    expect(atom?.body).toContain(
      'rel="current" type="application/atom+xml" href="https://feeds.example.com/feeds/investment/atom.xml"',
    );
    expect(atom?.body).not.toContain('next-archive');
    expect(JSON.parse(json?.body ?? '{}').next_url).toBe(
      'https://feeds.example.com/feeds/investment/archive/2020-10-2.json',
    );
    // The newest month's document changes with every story: short caching, like the feeds.
    expect(atom?.cacheControl).toBe('public, max-age=60, stale-while-revalidate=300');
  });

  it('gives past months a long Cache-Control', () => {
    const archive = renderMonthArchive(
      topic,
      '2020-12',
      someStories(2),
      { older: null, newer: '2021-02' },
      config,
    );
    expect(
      archive.files.every(
        (file) => file.cacheControl === 'public, max-age=86400, stale-while-revalidate=604800',
      ),
    ).toBe(true);
  });

  it('refuses a story of another month, naming it', () => {
    expect(() =>
      renderMonthArchive(topic, '2020-11', [aStory()], { older: null, newer: null }, config),
    ).toThrow(
      new InvalidStoryError(
        "story '2020-12-01-investment-china-expands-pilot-programs' is not of the archive month 2020-11",
      ),
    );
  });
});

describe('renderTopicPage', () => {
  it('links the months of the stories it shows and the month before them, never every month', () => {
    // Prepare
    const stories = [
      aStory({ storyId: 'jan', publishedAt: '2021-01-05T00:00:00Z' }),
      aStory({ storyId: 'dec', publishedAt: '2020-12-05T00:00:00Z' }),
    ];

    // Act
    const page = renderTopicPage(topic, stories, '2020-06', config);

    // Assess
    const hrefs = htmlElements(page.body)
      .filter((e) => e.tagName === 'a')
      .map((e) => attr(e, 'href'));
    expect(hrefs).toEqual(
      expect.arrayContaining([
        '../../topics/investment/2021-01.html',
        '../../topics/investment/2020-12.html',
        '../../topics/investment/2020-06.html',
        '../../stories/jan.html',
      ]),
    );
    expect(page.body.indexOf('2021-01.html')).toBeLessThan(page.body.indexOf('2020-12.html'));
    expect(htmlProblems(page.body)).toEqual([]);
  });
});

describe('issue ids', () => {
  it('derives the id from the date line and a short slug of the title', () => {
    expect(issueIdBase('2020-12-01', 'CX Daily: The fight over China’s law to protect personal data')).toBe(
      '2020-12-01-cx-daily-the-fight-over-china-s-law-to',
    );
    expect(issueIdBase('2021-09-10', '财新早报')).toMatch(/^2021-09-10-[0-9a-f]{8}$/);
  });

  it('gives the same issue to the same digest under two keys, and a suffix only to a colliding other digest', () => {
    // Prepare
    const same = [aDigest(), aDigest()];
    const other = aDigest({ publishedAt: '2020-12-01T18:00:00Z', stories: [{ storyId: 'c' }] });

    // Act
    const once = assignIssueIds(same);
    const both = assignIssueIds([other, ...same]);
    const reversed = assignIssueIds([...same, other].reverse());

    // Assess
    expect(once.map((issue) => issue.issueId)).toEqual([
      '2020-12-01-cx-daily-the-fight-over-china-s-data-law',
    ]);
    expect(both.map((issue) => [issue.issueId, issue.storyIds])).toEqual([
      ['2020-12-01-cx-daily-the-fight-over-china-s-data-law', ['a', 'b']],
      ['2020-12-01-cx-daily-the-fight-over-china-s-data-law-2', ['c']],
    ]);
    expect(reversed).toEqual(both);
  });
});

describe('buildSite with issues', () => {
  const stories = [
    aStory({ storyId: 'one', position: 0, publishedAt: '2020-12-01T09:19:00Z' }),
    aStory({
      storyId: 'two',
      position: 1,
      topic: 'Tech',
      topicSlug: 'tech',
      publishedAt: '2020-12-01T09:18:59Z',
    }),
    aStory({ storyId: 'three', position: 2, publishedAt: '2020-12-01T09:18:58Z' }),
  ];
  const issues: Issue[] = [
    {
      issueId: '2020-12-01-cx',
      title: 'CX',
      summary: 'Sum.',
      publishedAt: '2020-12-01T09:19:00Z',
      storyIds: ['one', 'two', 'three'],
    },
  ];

  it('links a story page to its topic page, its issue and its neighbours in the issue', () => {
    // Act
    const files = buildSite(stories, config, { issues });

    // Assess
    const page = files.find((file) => file.path === 'stories/two.html')?.body ?? '';
    const hrefs = htmlElements(page)
      .filter((e) => e.tagName === 'a')
      .map((e) => attr(e, 'href'));
    expect(hrefs).toEqual(
      expect.arrayContaining([
        '../topics/tech/index.html',
        '../issues/2020-12-01-cx.html',
        '../stories/one.html',
        '../stories/three.html',
      ]),
    );
    const issue = files.find((file) => file.path === 'issues/2020-12-01-cx.html')?.body ?? '';
    expect(issue.indexOf('one.html')).toBeLessThan(issue.indexOf('two.html'));
    expect(issue.indexOf('two.html')).toBeLessThan(issue.indexOf('three.html'));
  });

  it('gives the same bytes whatever the order of stories and issues', () => {
    const one = buildSite(stories, config, { issues });
    const two = buildSite([...stories].reverse(), config, { issues: [...issues].reverse() });
    expect(two).toEqual(one);
  });

  it('keeps hostile issue titles, summaries and topics text on every page and in the issue feed', async () => {
    // Prepare
    const hostile = stories.map((story) => ({
      ...story,
      topic: `${HOSTILE} ${story.topicSlug}`,
      title: HOSTILE,
    }));
    const hostileIssues = [{ ...(issues[0] as Issue), title: HOSTILE, summary: HOSTILE }];

    // Act
    const files = buildSite(hostile, config, { issues: hostileIssues });

    // Assess
    expect(await siteProblems(files)).toEqual([]);
    for (const file of files.filter((f) => f.path.endsWith('.html')))
      expect(htmlProblems(file.body), file.path).toEqual([]);
    const feed = readWithFeedsmith('atom', files.find((file) => file.path === 'issues/atom.xml')?.body ?? '');
    expect(feed.items[0]?.title).toBe(HOSTILE_AS_TEXT);
    expect(feed.items[0]?.contentHtml).toContain('&lt;script&gt;');
  });

  it('leaves out an issue none of whose stories is live', () => {
    const files = buildSite(stories, config, {
      issues: [
        ...issues,
        {
          issueId: '2020-11-01-gone',
          title: 'Gone',
          summary: '',
          publishedAt: '2020-11-01T00:00:00Z',
          storyIds: ['withdrawn'],
        },
      ],
    });
    expect(files.some((file) => file.path.includes('2020-11-01-gone'))).toBe(false);
  });
});
