import { type Digest, parseDigest } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';
import { digestErrorOf } from './fixture-digests.ts';

const DATE = 'Dec 01, 2020 09:19 AM';
const HEAD = `${DATE}\n\nCX Daily: A Day in the News\n\nThe summary sentence.\nThe summary sentence.`;

/** A digest from blocks separated by one blank line, after the usual date, title and summary. */
const digestOf = (...blocks: string[]): string => [HEAD, ...blocks].join('\n\n');
/** Blank lines that set a caption apart: three, as in the newsletter. */
const GAP = '\n\n\n';

const storySummary = (digest: Digest) =>
  digest.stories.map((s) => ({
    topic: s.topic,
    title: s.title,
    paragraphs: s.paragraphs,
    related: s.related,
    imageCaption: s.imageCaption,
  }));

describe('Function: parseDigest, rejecting bad input', () => {
  it.each([
    ['EMPTY', ''],
    ['BLANK', ' \n\t\n\u00a0\u00a0\r\n\u200b\n'],
    ['NUL_BYTES', `${DATE}\0\n\nTitle`],
    ['NO_DATE', 'CX Daily: A Day in the News\n\nSummary.\n\nMetals /\n\nTitle\n\nBody.'],
    ['BAD_DATE', digestOf('Metals /', 'Title', 'Body.').replace(DATE, 'Feb 30, 2021 09:19 AM')],
    ['BAD_DATE', digestOf('Metals /', 'Title', 'Body.').replace(DATE, 'Dec 01, 2020 13:19 PM')],
    ['NO_SECTIONS', digestOf('A story without a section', 'Body text.')],
    ['NO_STORIES', digestOf('Metals /', 'Cash /')],
    ['NO_TITLE', `${DATE}\n\nMetals /\n\nTitle\n\nBody.`],
  ])('rejects input with code %s', (code, text) => {
    // Act
    const error = digestErrorOf(() => parseDigest(text));

    // Assess
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(/\n/);
    expect(error.message.length).toBeGreaterThan(20);
  });

  it('says what a date line should look like', () => {
    // Act
    const error = digestErrorOf(() => parseDigest('CX Daily: A Day in the News\n\nMetals /\n\nTitle'));

    // Assess
    expect(error.message).toBe(
      "no date line: the first line must be a date like 'Dec 01, 2020 09:19 AM', not 'CX Daily: A Day in the News'",
    );
  });

  it('rejects an unknown time zone', () => {
    // Act
    const error = digestErrorOf(() =>
      parseDigest(digestOf('Metals /', 'Title', 'Body.'), { timezone: 'Mars/Base' }),
    );

    // Assess
    expect(error.code).toBe('BAD_TIMEZONE');
    expect(error.message).toContain("'Mars/Base'");
  });
});

describe('Function: parseDigest, reading the date line', () => {
  it.each([
    ['Dec 01, 2020 09:19 AM', '2020-12-01T09:19:00Z'],
    ['Dec 1, 2020 9:19 am', '2020-12-01T09:19:00Z'],
    ['December 1st, 2020 at 9:19 a.m.', '2020-12-01T09:19:00Z'],
    ['Tuesday, Dec 01, 2020 09:19 PM', '2020-12-01T21:19:00Z'],
    ['01 Dec 2020 21:19', '2020-12-01T21:19:00Z'],
    ['2020-12-01 21:19:30', '2020-12-01T21:19:30Z'],
    ['Dec 01, 2020 12:05 AM', '2020-12-01T00:05:00Z'],
    ['Dec 01, 2020 12:05 PM', '2020-12-01T12:05:00Z'],
    ['Dec 01, 2020 00:05 AM', '2020-12-01T00:05:00Z'],
    ['\u00a0Dec\u00a001, 2020 09:19 AM\u00a0', '2020-12-01T09:19:00Z'],
  ])('reads %j as %s in UTC', (line, instant) => {
    // Act
    const digest = parseDigest(digestOf('Metals /', 'Title', 'Body.').replace(DATE, line));

    // Assess
    expect(digest.publishedAt).toBe(instant);
    expect(digest.date).toBe('2020-12-01');
    expect(digest.timezone).toBe('UTC');
  });

  it('reads a date without a time as midnight, with a warning', () => {
    // Act
    const digest = parseDigest(digestOf('Metals /', 'Title', 'Body.').replace(DATE, 'Dec 01, 2020'));

    // Assess
    expect(digest.publishedAt).toBe('2020-12-01T00:00:00Z');
    expect(digest.warnings).toEqual(['the date line has no time of day; read as 00:00']);
  });

  it('reads the wall time in the given zone, and keeps the local date', () => {
    // Act
    const digest = parseDigest(
      digestOf('Metals /', 'Title', 'Body.').replace(DATE, 'Dec 01, 2020 07:19 AM'),
      {
        timezone: 'Asia/Shanghai',
      },
    );

    // Assess
    expect(digest.publishedAt).toBe('2020-11-30T23:19:00Z');
    expect(digest.date).toBe('2020-12-01');
    expect(digest.stories[0]?.storyId.startsWith('2020-12-01-')).toBe(true);
    expect(digest.timezone).toBe('Asia/Shanghai');
  });

  it('gives the time zone its canonical name', () => {
    // Act
    const digest = parseDigest(digestOf('Metals /', 'Title', 'Body.'), { timezone: 'utc' });

    // Assess
    expect(digest.timezone).toBe('UTC');
  });

  it('moves a time skipped by a spring-forward clock change forward, with a warning', () => {
    // Act
    const digest = parseDigest(
      digestOf('Metals /', 'Title', 'Body.').replace(DATE, 'Mar 14, 2021 02:30 AM'),
      {
        timezone: 'America/New_York',
      },
    );

    // Assess: 02:30 does not exist; 03:30 EDT is 07:30Z.
    expect(digest.publishedAt).toBe('2021-03-14T07:30:00Z');
    expect(digest.warnings).toEqual([expect.stringContaining('does not exist in America/New_York')]);
  });

  it('reads a time that occurs twice when clocks go back as the earlier one, with a warning', () => {
    // Act
    const digest = parseDigest(
      digestOf('Metals /', 'Title', 'Body.').replace(DATE, 'Nov 07, 2021 01:30 AM'),
      {
        timezone: 'America/New_York',
      },
    );

    // Assess: 01:30 EDT (05:30Z) comes before 01:30 EST (06:30Z).
    expect(digest.publishedAt).toBe('2021-11-07T05:30:00Z');
    expect(digest.warnings).toEqual([expect.stringContaining('occurs twice')]);
  });

  it('counts story times back across midnight', () => {
    // Act
    const digest = parseDigest(digestOf('Quick hits /', 'One', 'Two').replace(DATE, 'Jan 01, 2021 12:00 AM'));

    // Assess
    expect(digest.stories.map((s) => s.publishedAt)).toEqual([
      '2021-01-01T00:00:00Z',
      '2020-12-31T23:59:59Z',
    ]);
  });

  it('gives each story the digest time minus its position in seconds', () => {
    // Act
    const digest = parseDigest(digestOf('Quick hits /', 'One', 'Two', 'Three'));

    // Assess
    expect(digest.stories.map((s) => s.publishedAt)).toEqual([
      '2020-12-01T09:19:00Z',
      '2020-12-01T09:18:59Z',
      '2020-12-01T09:18:58Z',
    ]);
  });
});

describe('Function: parseDigest, the head of the digest', () => {
  it('takes a summary given once', () => {
    // Act
    const digest = parseDigest(`${DATE}\n\nTitle line\n\nThe only summary.\n\nMetals /\n\nTitle\n\nBody.`);

    // Assess
    expect(digest.title).toBe('Title line');
    expect(digest.summary).toBe('The only summary.');
    expect(digest.stories[0]?.imageCaption).toBeNull();
    expect(digest.warnings).toEqual([]);
  });

  it('keeps the first summary line and warns when the copy differs', () => {
    // Act
    const digest = parseDigest(
      `${DATE}\n\nTitle line\n\nSummary one.\nSummary two.\n\nMetals /\n\nTitle\n\nBody.`,
    );

    // Assess
    expect(digest.summary).toBe('Summary one.');
    expect(digest.stories[0]?.imageCaption).toBeNull();
    expect(digest.warnings).toEqual([expect.stringContaining('the two summary lines differ')]);
  });

  it('treats an edited copy of the summary after a blank line as the copy, not as a caption', () => {
    // Act
    const digest = parseDigest(
      `${DATE}\n\nTitle line\n\nAthletes and journalists will live in a bubble.\n\nAthletes and reporters will live in a bubble.\n\nMetals /\n\nTitle\n\nBody.`,
    );

    // Assess
    expect(digest.summary).toBe('Athletes and journalists will live in a bubble.');
    expect(digest.stories[0]?.imageCaption).toBeNull();
    expect(digest.warnings).toEqual([expect.stringContaining('the two summary lines differ')]);
  });

  it('treats a copy of the summary after a blank line as the copy, not as a caption', () => {
    // Act
    const digest = parseDigest(`${DATE}\n\nTitle line\n\nSummary.\n\nSummary.\n\nMetals /\n\nTitle\n\nBody.`);

    // Assess
    expect(digest.stories[0]?.imageCaption).toBeNull();
    expect(digest.warnings).toEqual([]);
  });

  it('gives the caption before the first section to the first story', () => {
    // Act
    const digest = parseDigest(digestOf(`${GAP}A photo caption.`, 'Metals /', 'Title', 'Body.'));

    // Assess
    expect(digest.summary).toBe('The summary sentence.');
    expect(digest.stories[0]?.imageCaption).toBe('A photo caption.');
  });

  it('finds the caption before the first section when the summary is given once, with one blank line', () => {
    // Act
    const digest = parseDigest(
      `${DATE}\n\nTitle line\n\nSummary.\n\nA photo caption.\n\nMetals /\n\nTitle\n\nBody.`,
    );

    // Assess
    expect(digest.summary).toBe('Summary.');
    expect(digest.stories[0]?.imageCaption).toBe('A photo caption.');
  });

  it('warns about, and ignores, other lines before the first section', () => {
    // Act
    const digest = parseDigest(digestOf('Stray line', 'A photo caption.', 'Metals /', 'Title', 'Body.'));

    // Assess
    expect(digest.stories[0]?.imageCaption).toBe('A photo caption.');
    expect(digest.warnings).toEqual([expect.stringContaining("before the first section: 'Stray line'")]);
  });

  it('warns when there is no summary', () => {
    // Act
    const digest = parseDigest(`${DATE}\n\nTitle line\n\nMetals /\n\nTitle\n\nBody.`);

    // Assess
    expect(digest.summary).toBe('');
    expect(digest.warnings).toEqual(['no summary line after the title']);
  });
});

describe('Function: parseDigest, section labels', () => {
  it.each([
    ['Cash\u00a0/', 'Cash'],
    ['Cash /\u00a0\u00a0', 'Cash'],
    ['Cash/', 'Cash'],
    ['  Personal\u00a0 data /\t', 'Personal data'],
    ['M&A /', 'M&A'],
    ['5G /', '5G'],
    ['U.S.-China /', 'U.S.-China'],
    ['科技 /', '科技'],
    ['科技／', '科技'],
    ['科技 & 芯片 ／', '科技 & 芯片'],
  ])('reads %j as the topic %j', (label, topic) => {
    // Act
    const digest = parseDigest(digestOf(label, 'Title', 'Body.'));

    // Assess
    expect(digest.stories.map((s) => s.topic)).toEqual([topic]);
  });

  it('does not take a headline with " / " in the middle for a label', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Metals /',
        'Gold / silver: prices tumble',
        'Body paragraph.',
        'Beijing / Shanghai flights resume',
      ),
    );

    // Assess
    expect(storySummary(digest)).toEqual([
      {
        topic: 'Metals',
        title: 'Gold / silver: prices tumble',
        paragraphs: ['Body paragraph.'],
        related: ['Beijing / Shanghai flights resume'],
        imageCaption: null,
      },
    ]);
  });

  it('does not take a URL ending in "/" for a label', () => {
    // Act
    const digest = parseDigest(
      digestOf('Metals /', 'Title', 'Read the report at https://example.com/reports/'),
    );

    // Assess
    expect(digest.stories).toHaveLength(1);
    expect(digest.stories[0]?.paragraphs).toEqual(['Read the report at https://example.com/reports/']);
  });

  it('warns about a section with no stories and carries its caption to the next story', () => {
    // Act
    const digest = parseDigest(
      digestOf('Metals /', 'Title', `Body.${GAP}A caption.`, 'Energy /', 'Cash /', 'Cash title', 'Body.'),
    );

    // Assess
    expect(digest.stories.map((s) => [s.topic, s.imageCaption])).toEqual([
      ['Metals', null],
      ['Cash', 'A caption.'],
    ]);
    expect(digest.warnings).toEqual(["section 'Energy' has no stories"]);
  });
});

describe('Function: parseDigest, body paragraphs and related headlines', () => {
  it('keeps a short question as the first paragraph, always body', () => {
    // Act
    const digest = parseDigest(digestOf('Cash /', 'Title', 'What can he do?', 'He keeps cash at home.'));

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['What can he do?', 'He keeps cash at home.']);
    expect(digest.stories[0]?.related).toEqual([]);
  });

  it('keeps a short question between paragraphs as body', () => {
    // Act
    const digest = parseDigest(
      digestOf('Cash /', 'Title', 'First paragraph.', 'Will it work?', 'Nobody knows.'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['First paragraph.', 'Will it work?', 'Nobody knows.']);
  });

  it('takes the trailing headline-like lines as related, colons and questions included', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Cash /',
        'Title',
        'First paragraph.',
        'Second paragraph ends with a quote.”',
        'Editorial: Why cash still matters',
        'Is the digital yuan ready?',
        '“Big Four” banks cut deposit rates (again)',
      ),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([
      'First paragraph.',
      'Second paragraph ends with a quote.”',
    ]);
    expect(digest.stories[0]?.related).toEqual([
      'Editorial: Why cash still matters',
      'Is the digital yuan ready?',
      '“Big Four” banks cut deposit rates (again)',
    ]);
  });

  it('takes a one-paragraph story with no related headlines', () => {
    // Act
    const digest = parseDigest(
      digestOf('Cash /', 'Title', 'Only paragraph.', 'Metals /', 'Title 2', 'Body.'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['Only paragraph.']);
    expect(digest.stories[0]?.related).toEqual([]);
  });

  it('keeps the first paragraph as body even when it looks like a headline', () => {
    // Act
    const digest = parseDigest(
      digestOf('Cash /', 'Title', 'Shares jump 10% in early trade', 'Related headline'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['Shares jump 10% in early trade']);
    expect(digest.stories[0]?.related).toEqual(['Related headline']);
  });

  it('keeps a long line without final punctuation as body', () => {
    // Prepare
    const long = `${'A body paragraph that the editor forgot to finish with a full stop, '.repeat(3)}and so it runs on`;

    // Act
    const digest = parseDigest(digestOf('Cash /', 'Title', 'First paragraph.', long));

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['First paragraph.', long]);
    expect(digest.stories[0]?.related).toEqual([]);
  });

  it('keeps a line introducing a quote (ending in ":") as body', () => {
    // Act
    const digest = parseDigest(digestOf('Cash /', 'Title', 'First paragraph.', 'The minister said:'));

    // Assess
    expect(digest.stories[0]?.related).toEqual([]);
  });

  it('takes a short headline ending in an abbreviation as related, but a long sentence as body', () => {
    // Prepare
    const sentence =
      'The measures, which take effect in January, were drafted after months of talks with regulators in the U.S.';

    // Act
    const related = parseDigest(digestOf('Cash /', 'Title', 'First paragraph.', 'Huawei sues the U.S.'));
    const body = parseDigest(digestOf('Cash /', 'Title', 'First paragraph.', sentence));

    // Assess
    expect(related.stories[0]?.related).toEqual(['Huawei sues the U.S.']);
    expect(body.stories[0]?.related).toEqual([]);
  });

  it('tells CJK body paragraphs (ending in 。) from related headlines', () => {
    // Act
    const digest = parseDigest(
      digestOf('科技 /', '标题', '第一段。', '第二段。', '相关新闻标题', '这是问题吗？'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['第一段。', '第二段。']);
    expect(digest.stories[0]?.related).toEqual(['相关新闻标题', '这是问题吗？']);
  });

  it('keeps a line of two sentences as body, even when it ends in "?"', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Cash /',
        'Title',
        'First paragraph.',
        'Critics at home were unconvinced. Why travel to Beijing now?',
        'Editorial: Europe cannot afford to decouple',
      ),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([
      'First paragraph.',
      'Critics at home were unconvinced. Why travel to Beijing now?',
    ]);
    expect(digest.stories[0]?.related).toEqual(['Editorial: Europe cannot afford to decouple']);
  });

  it('keeps a CJK line with a 。 inside as body, even without a final 。', () => {
    // Act
    const digest = parseDigest(
      digestOf('科技 /', '标题', '第一段。', '“这是最严厉的措施。”一位行业人士表示'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['第一段。', '“这是最严厉的措施。”一位行业人士表示']);
    expect(digest.stories[0]?.related).toEqual([]);
  });

  it('does not read abbreviations or inner questions in related headlines as sentence breaks', () => {
    // Prepare
    const related = [
      'U.S. Treasury adds Huawei units to blacklist',
      'Mr. Ren’s daughter returns to Shenzhen',
      'Apple vs. Google: Who wins in China? Analysts split',
      'No. 1 carmaker BYD overtakes Tesla in Q4',
      'Default? Not yet, says Evergrande chairman',
      'Tencent invests in Foo Co. Ltd. unit',
    ];

    // Act
    const digest = parseDigest(digestOf('Cash /', 'Title', 'First paragraph.', ...related));

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['First paragraph.']);
    expect(digest.stories[0]?.related).toEqual(related);
  });

  it('decides that a short question after the last paragraph is a related headline', () => {
    // Act: ambiguous on its own; related headlines are often questions, excerpts rarely end on one.
    const digest = parseDigest(
      digestOf('Cash /', 'Title', 'First paragraph.', 'Is the digital yuan ready?', 'Metals /', 'T', 'B.'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['First paragraph.']);
    expect(digest.stories[0]?.related).toEqual(['Is the digital yuan ready?']);
  });

  it('warns about a story with no paragraphs', () => {
    // Act
    const digest = parseDigest(digestOf('Cash /', 'A lone title', 'Metals /', 'Title', 'Body.'));

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([]);
    expect(digest.warnings).toEqual(["story 'A lone title' has no paragraphs"]);
  });
});

describe('Function: parseDigest, lists in story bodies', () => {
  it('keeps bullets that end the body as body, verbatim, and takes only the lines after them as related', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Banking /',
        'Title',
        'The regulator set out three rules on Friday.',
        'The rules, in short:',
        '• Caps on deposits',
        '• No lending across provinces',
        'Explainer: Who the rules hit',
      ),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([
      'The regulator set out three rules on Friday.',
      'The rules, in short:',
      '• Caps on deposits',
      '• No lending across provinces',
    ]);
    expect(digest.stories[0]?.related).toEqual(['Explainer: Who the rules hit']);
  });

  it.each([
    ['•', '• Item'],
    ['·', '· Item'],
    ['▪', '▪ Item'],
    ['◦', '◦ Item'],
    ['–', '– Item'],
    ['—', '— Item'],
    ['-', '- Item'],
    ['*', '* Item'],
    ['1.', '1. Item'],
    ['2)', '2) Item'],
    ['12.', '12. Item'],
    ['a marker and an NBSP', '•\u00a0Item'],
  ])(
    'reads a line opening with %s as a list item, body even as the last line of the story',
    (_marker, item) => {
      // Act
      const digest = parseDigest(digestOf('Banking /', 'Title', 'The first paragraph.', item));

      // Assess
      expect(digest.stories[0]?.paragraphs).toEqual(['The first paragraph.', item]);
      expect(digest.stories[0]?.related).toEqual([]);
    },
  );

  it.each([
    ['a minus sign before a number', '-5% in April'],
    ['a year and a full stop', '2021. The year of the crackdown'],
    ['a decimal number', '3.5% growth in the first quarter'],
    ['an asterisk with no space', '*Corrected headline'],
    ['a number of four digits', '1000. Reasons to worry'],
  ])('does not read a line opening with %s as a list item', (_what, line) => {
    // Act
    const digest = parseDigest(digestOf('Banking /', 'Title', 'The first paragraph.', line));

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['The first paragraph.']);
    expect(digest.stories[0]?.related).toEqual([line]);
  });

  it('keeps a numbered list in the middle of the body, with the paragraphs around it', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Banking /',
        'Title',
        'Lenders must do two things by June:',
        '1) Report every loan',
        '2) Hold more capital',
        'Analysts expect smaller lenders to merge.',
        'Opinion: A rule for the big banks',
      ),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([
      'Lenders must do two things by June:',
      '1) Report every loan',
      '2) Hold more capital',
      'Analysts expect smaller lenders to merge.',
    ]);
    expect(digest.stories[0]?.related).toEqual(['Opinion: A rule for the big banks']);
  });

  it('keeps a line ending in ":" before a list as body, even as the second-to-last line', () => {
    // Act
    const digest = parseDigest(
      digestOf('Banking /', 'Title', 'The first paragraph.', 'What changes in May:', '– Higher fees'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([
      'The first paragraph.',
      'What changes in May:',
      '– Higher fees',
    ]);
    expect(digest.stories[0]?.related).toEqual([]);
  });

  it('does not take a sentence after a list item for a caption when the digest does not mark captions', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Banking /',
        'Title',
        'The first paragraph.',
        '• Short item',
        'The list ends with a sentence.',
        'Cash /',
        'T',
        'B.',
      ),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([
      'The first paragraph.',
      '• Short item',
      'The list ends with a sentence.',
    ]);
    expect(digest.stories[1]?.imageCaption).toBeNull();
  });

  it('does not take a last list item ending in "." for a caption when the digest does not mark captions', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Banking /',
        'Title',
        'The first paragraph.',
        'Related headline',
        '• An item that ends in a full stop.',
        'Cash /',
        'T',
        'B.',
      ),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([
      'The first paragraph.',
      'Related headline',
      '• An item that ends in a full stop.',
    ]);
    expect(digest.stories[0]?.related).toEqual([]);
    expect(digest.stories[1]?.imageCaption).toBeNull();
  });

  it('still makes every line under "Quick hits /" a story, list marker or not', () => {
    // Act
    const digest = parseDigest(digestOf('Quick hits /', '• Hit one', '- Hit two'));

    // Assess
    expect(digest.stories.map((s) => s.title)).toEqual(['• Hit one', '- Hit two']);
    expect(digest.stories.every((s) => s.paragraphs.length === 0)).toBe(true);
  });
});

describe('Function: parseDigest, quick hits', () => {
  it('makes every line under "Quick hits /" a story of its own, whatever its position', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Quick hits /',
        'First hit',
        'Second hit',
        'Metals /',
        'Title',
        'Body.',
        'Quick Hits /',
        'Third hit',
      ),
    );

    // Assess
    expect(digest.stories.map((s) => [s.topic, s.topicSlug, s.title, s.paragraphs.length])).toEqual([
      ['Quick hits', 'quick-hits', 'First hit', 0],
      ['Quick hits', 'quick-hits', 'Second hit', 0],
      ['Metals', 'metals', 'Title', 1],
      ['Quick Hits', 'quick-hits', 'Third hit', 0],
    ]);
    expect(digest.warnings).toEqual([]);
  });
});

describe('Function: parseDigest, image captions', () => {
  it('gives the caption set apart by a wide gap to the first story of the next section', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Metals /',
        'Title',
        'Body.',
        `Related headline${GAP}A caption.`,
        'Cash /',
        'Cash title',
        'Body.',
      ),
    );

    // Assess
    expect(storySummary(digest)).toEqual([
      {
        topic: 'Metals',
        title: 'Title',
        paragraphs: ['Body.'],
        related: ['Related headline'],
        imageCaption: null,
      },
      { topic: 'Cash', title: 'Cash title', paragraphs: ['Body.'], related: [], imageCaption: 'A caption.' },
    ]);
  });

  it('gives a caption after quick hits to the next section, even without a headline-like shape', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Quick hits /',
        'Hit one',
        `Hit two${GAP}Hong Kong Chief Executive Carrie Lam`,
        'Cash /',
        'T',
        'B.',
      ),
    );

    // Assess
    expect(digest.stories.map((s) => s.title)).toEqual(['Hit one', 'Hit two', 'T']);
    expect(digest.stories[2]?.imageCaption).toBe('Hong Kong Chief Executive Carrie Lam');
  });

  it('gives a caption before a quick hits section to its first hit', () => {
    // Act
    const digest = parseDigest(
      digestOf('Metals /', 'Title', `Body.${GAP}A caption.`, 'Quick hits /', 'Hit one', 'Hit two'),
    );

    // Assess
    expect(digest.stories.map((s) => s.imageCaption)).toEqual([null, 'A caption.', null]);
  });

  it('takes a sentence after quick hits as a caption even with a single blank line', () => {
    // Act
    const digest = parseDigest(
      digestOf('Quick hits /', 'Hit one', 'Hit two', 'A photo of the harbor at dusk.', 'Cash /', 'T', 'B.'),
    );

    // Assess
    expect(digest.stories.map((s) => s.title)).toEqual(['Hit one', 'Hit two', 'T']);
    expect(digest.stories[2]?.imageCaption).toBe('A photo of the harbor at dusk.');
  });

  it('keeps a last quick hit ending in an abbreviation as a quick hit', () => {
    // Act
    const digest = parseDigest(
      digestOf('Quick hits /', 'Hit one', 'Didi files for IPO in the U.S.', 'Cash /', 'T', 'B.'),
    );

    // Assess
    expect(digest.stories.map((s) => s.title)).toEqual(['Hit one', 'Didi files for IPO in the U.S.', 'T']);
    expect(digest.stories[2]?.imageCaption).toBeNull();
  });

  it('takes a sentence after related headlines as a caption even with a single blank line', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Metals /',
        'Title',
        'Body.',
        'Related headline',
        'The bank’s headquarters in Beijing.',
        'Cash /',
        'T',
        'B.',
      ),
    );

    // Assess
    expect(digest.stories[0]?.related).toEqual(['Related headline']);
    expect(digest.stories[1]?.imageCaption).toBe('The bank’s headquarters in Beijing.');
  });

  it('keeps a last body paragraph as body when nothing sets it apart', () => {
    // Act
    const digest = parseDigest(
      digestOf('Metals /', 'Title', 'First paragraph.', 'Last paragraph.', 'Cash /', 'T', 'B.'),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['First paragraph.', 'Last paragraph.']);
    expect(digest.stories[1]?.imageCaption).toBeNull();
  });

  it('finds captions by a gap wider than the usual one when every line break is doubled', () => {
    // Prepare: a mail client's export, two or three blank lines between blocks, seven before a caption.
    const doubled = digestOf(
      'Metals /',
      'Title',
      'First paragraph.',
      'Last paragraph.',
      'Related headline',
      'Quick hits /',
      'Hit one',
      `Hit two${GAP}A caption.`,
      'Cash /',
      'Cash title',
      'Body.',
    ).replace(/\n/g, '\n\n');

    // Act
    const digest = parseDigest(doubled);

    // Assess
    expect(storySummary(digest)).toEqual([
      {
        topic: 'Metals',
        title: 'Title',
        paragraphs: ['First paragraph.', 'Last paragraph.'],
        related: ['Related headline'],
        imageCaption: null,
      },
      { topic: 'Quick hits', title: 'Hit one', paragraphs: [], related: [], imageCaption: null },
      { topic: 'Quick hits', title: 'Hit two', paragraphs: [], related: [], imageCaption: null },
      { topic: 'Cash', title: 'Cash title', paragraphs: ['Body.'], related: [], imageCaption: 'A caption.' },
    ]);
    expect(digest.warnings).toEqual([]);
  });

  it('finds captions set apart by one blank line in a digest with no blank lines between blocks', () => {
    // Prepare
    const compact = [
      DATE,
      'Title line',
      'Summary.',
      'Summary.',
      '',
      'First caption.',
      'Metals /',
      'Title',
      'First paragraph.',
      'Related headline',
      '',
      'Second caption.',
      'Cash /',
      'Cash title',
      'Body.',
      'Last paragraph.',
    ].join('\n');

    // Act
    const digest = parseDigest(compact);

    // Assess
    expect(storySummary(digest)).toEqual([
      {
        topic: 'Metals',
        title: 'Title',
        paragraphs: ['First paragraph.'],
        related: ['Related headline'],
        imageCaption: 'First caption.',
      },
      {
        topic: 'Cash',
        title: 'Cash title',
        paragraphs: ['Body.', 'Last paragraph.'],
        related: [],
        imageCaption: 'Second caption.',
      },
    ]);
  });

  it('keeps a last quick hit ending in "." as a quick hit when the digest marks its captions with a gap', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Metals /',
        'Title',
        `Body.${GAP}A caption.`,
        'Quick hits /',
        'Hit one',
        'Siemens chief on China: “We are staying.”',
        'Cash /',
        'T',
        'B.',
      ),
    );

    // Assess
    expect(digest.stories.map((s) => [s.title, s.imageCaption])).toEqual([
      ['Title', null],
      ['Hit one', 'A caption.'],
      ['Siemens chief on China: “We are staying.”', null],
      ['T', null],
    ]);
  });

  it('never takes the title of a story for a caption', () => {
    // Act
    const digest = parseDigest(digestOf(`Metals /${GAP}Lone title.`, 'Cash /', 'T', 'B.'));

    // Assess
    expect(digest.stories.map((s) => s.title)).toEqual(['Lone title.', 'T']);
    expect(digest.stories[1]?.imageCaption).toBeNull();
  });
});

describe('Function: parseDigest, text handling', () => {
  it('drops the footer from "Thanks for reading" on', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Quick hits /',
        'Hit one',
        'Thanks for reading. If you haven’t already, click here to subscribe.',
        'Share this article\nOpen WeChat and scan the QR code',
      ),
    );

    // Assess
    expect(digest.stories.map((s) => s.title)).toEqual(['Hit one']);
  });

  it('drops the footer from "Thank you for reading" on', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Cash /',
        'Title',
        'Body.',
        'Related headline',
        'Thank you for reading. Click here to subscribe.',
      ),
    );

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual(['Body.']);
    expect(digest.stories[0]?.related).toEqual(['Related headline']);
  });

  it('drops a footer that starts with the share prompt', () => {
    // Act
    const digest = parseDigest(
      digestOf('Quick hits /', 'Hit one', 'Share this article\nOpen WeChat and scan the QR code'),
    );

    // Assess
    expect(digest.stories.map((s) => s.title)).toEqual(['Hit one']);
  });

  it('reads LF, CRLF and lone CR line ends alike, mixed in one file', () => {
    // Prepare
    const lf = digestOf('Metals /', 'Title', 'Body one.', 'Body two.', 'Related');
    const mixed = lf
      .split('\n')
      .map((line, i) => line + ['\r\n', '\r', '\n'][i % 3])
      .join('');

    // Act
    const a = parseDigest(lf);
    const b = parseDigest(mixed);

    // Assess
    expect(b).toEqual(a);
  });

  it('reads a string that still starts with a BOM', () => {
    // Act
    const digest = parseDigest(`\uFEFF${digestOf('Metals /', 'Title', 'Body.')}`);

    // Assess
    expect(digest.publishedAt).toBe('2020-12-01T09:19:00Z');
  });

  it('reads lines of only bidi marks and zero-width spaces as blank, and trims them off line ends', () => {
    // Act
    const digest = parseDigest(
      digestOf(
        'Cash /',
        'Title',
        'Body.',
        `Related\n\u200e\n\u200f\n\u200b\n\u200eA caption.\u200f`,
        'Metals /',
        'T',
        'B.',
      ),
    );

    // Assess
    expect(digest.stories.map((s) => [s.related, s.imageCaption])).toEqual([
      [['Related'], null],
      [[], 'A caption.'],
    ]);
  });

  it('keeps text verbatim inside lines, trimming only their ends', () => {
    // Act
    const digest = parseDigest(digestOf('Metals /', '  “Gold”\u00a0rush — again\u00a0 ', '\tIt’s “back”.  '));

    // Assess
    expect(digest.stories[0]?.title).toBe('“Gold”\u00a0rush — again');
    expect(digest.stories[0]?.paragraphs).toEqual(['It’s “back”.']);
  });

  it('parses the same text to the same result every time', () => {
    // Prepare
    const text = digestOf('Quick hits /', 'Same', 'Same', 'Same');

    // Act
    const a = parseDigest(text);
    const b = parseDigest(text);

    // Assess
    expect(b).toEqual(a);
    expect(a.stories.map((s) => s.storyId)).toEqual([
      '2020-12-01-quick-hits-same',
      '2020-12-01-quick-hits-same-2',
      '2020-12-01-quick-hits-same-3',
    ]);
  });

  it('warns when two different topics share one slug', () => {
    // Act
    const digest = parseDigest(digestOf('M&A /', 'T1', 'B.', 'M A /', 'T2', 'B.'));

    // Assess
    expect(digest.stories.map((s) => s.topicSlug)).toEqual(['m-a', 'm-a']);
    expect(digest.warnings).toEqual(["topics 'M&A' and 'M A' share the slug 'm-a' and so one feed"]);
  });

  it('handles pathological lines (long runs of spaces and slashes) in linear time', () => {
    // Prepare
    const spaces = `x${' '.repeat(200_000)}y`;
    const slashes = `${'/ '.repeat(100_000)}/`;

    // Act
    const digest = parseDigest(digestOf('Metals /', 'Title', spaces, slashes));

    // Assess
    expect(digest.stories[0]?.paragraphs).toEqual([spaces, slashes]);
  });
});
