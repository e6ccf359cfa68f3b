import { createHash } from 'node:crypto';
import { slugify, storyIdFor, topicSlugFor } from '@feedwright/digest';
import { describe, expect, it } from 'vitest';

describe('Function: slugify', () => {
  it.each([
    ['Personal data', 'personal-data'],
    ['M&A', 'm-a'],
    ['5G', '5g'],
    ['Covid-19', 'covid-19'],
    ['Quick hits', 'quick-hits'],
    ['Café culture', 'cafe-culture'],
    ['  --Hello,  World!--  ', 'hello-world'],
    ['China’s law', 'china-s-law'],
    ['U.S.-China', 'u-s-china'],
    ['Straße', 'strasse'],
    ['Łódź', 'lodz'],
    ['５Ｇ', '5g'],
    ['Cash\u00a0flow', 'cash-flow'],
    ['科技 / 互联网', '科技-互联网'],
    ['科技 & 互联网', '科技-互联网'],
  ])('slugs %j as %j', (text, slug) => {
    // Act
    const result = slugify(text);

    // Assess
    expect(result).toBe(slug);
  });

  it('keeps Hangul syllables composed, as typed', () => {
    // Act
    const slug = slugify('경제 뉴스');

    // Assess
    expect(slug).toBe('경제-뉴스');
    expect(slug).toBe(slug.normalize('NFC'));
  });

  it('keeps the vowel signs of scripts where they are part of the letter', () => {
    // Act
    const slug = slugify('हिन्दी समाचार');

    // Assess
    expect(slug).toBe('हिन्दी-समाचार');
  });

  it('gives an empty slug for text with no letters or digits', () => {
    // Assess
    expect(slugify(' — / ! ')).toBe('');
  });
});

describe('Function: topicSlugFor', () => {
  it('is the slug of an ordinary label', () => {
    // Assess
    expect(topicSlugFor('Personal data')).toBe('personal-data');
  });

  it('does not hand out the slug reserved for the all-stories feed', () => {
    // Assess
    expect(topicSlugFor('All')).toBe('all-topic');
    expect(topicSlugFor('ALL!')).toBe('all-topic');
  });

  it('gives a label without letters or digits a stable fallback slug', () => {
    // Act
    const first = topicSlugFor('—');
    const again = topicSlugFor('—');

    // Assess
    expect(first).toMatch(/^topic-[0-9a-f]{8}$/);
    expect(again).toBe(first);
    expect(topicSlugFor('???')).not.toBe(first);
  });
});

describe('Function: storyIdFor', () => {
  it('derives the id from the date, topic and title, cutting the title at a hyphen', () => {
    // Act
    const id = storyIdFor(
      '2020-12-01',
      'personal-data',
      'Cover Story: The fight over China’s law to protect personal data',
    );

    // Assess
    expect(id).toBe('2020-12-01-personal-data-cover-story-the-fight-over-china-s-law-to-protect');
  });

  it('gives the same id for the same input, every time', () => {
    // Act
    const ids = [1, 2, 3].map(() => storyIdFor('2021-09-10', '汽车', '芯片短缺拖累8月汽车销量'));

    // Assess
    expect(new Set(ids).size).toBe(1);
  });

  it('keeps an id URL-safe ASCII and tells CJK titles apart with a hash', () => {
    // Act
    const a = storyIdFor('2021-09-10', '汽车', '芯片短缺拖累8月汽车销量');
    const b = storyIdFor('2021-09-10', '汽车', '新能源车销量逆势增长');

    // Assess
    expect(a).toMatch(/^2021-09-10-8-[0-9a-f]{8}$/);
    expect(b).toMatch(/^2021-09-10-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('adds a hash when the topic loses letters in ASCII, even if the title does not', () => {
    // Act
    const id = storyIdFor('2021-09-10', '科技-互联网', 'Chip shortage: SMIC to build a plant');

    // Assess
    expect(id).toMatch(/^2021-09-10-chip-shortage-smic-to-build-a-plant-[0-9a-f]{8}$/);
  });

  it('leaves no hash on an ASCII title, accents folded', () => {
    // Assess
    expect(storyIdFor('2022-02-04', 'cafe-culture', 'Café owners cheer')).toBe(
      '2022-02-04-cafe-culture-cafe-owners-cheer',
    );
  });

  it('keeps ids short whatever the title', () => {
    // Act
    const id = storyIdFor('2020-12-01', 'covid-19', 'a'.repeat(300));

    // Assess
    expect(id).toMatch(/^[a-z0-9-]+$/);
    expect(id.length).toBeLessThanOrEqual('2020-12-01-covid-19-'.length + 50);
  });

  it('differs between topics for the same title', () => {
    // Assess
    expect(storyIdFor('2020-12-01', 'metals', 'Prices fall')).not.toBe(
      storyIdFor('2020-12-01', 'cash', 'Prices fall'),
    );
  });
});

/**
 * The slug and id rules as first written, one Unicode normalisation pass after another: the oracle
 * that the single-pass slugs must equal, so that no story's id changes with the faster code.
 */
const referenceSlug = (text: string): string =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu, '')
    .replace(
      /[ßæœøđðħıłþ]/g,
      (c) => ({ ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ħ: 'h', ı: 'i', ł: 'l', þ: 'th' })[c] ?? c,
    )
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .normalize('NFC');
const toUrlSafe = (slug: string) => slug.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
const cap = (slug: string, max: number) => {
  if (slug.length <= max) return slug;
  const cut = slug.lastIndexOf('-', max);
  return (cut > 0 ? slug.slice(0, cut) : slug.slice(0, max)).replace(/^-+|-+$/g, '');
};
function referenceStoryId(date: string, topicSlug: string, title: string): string {
  const titleSlug = referenceSlug(title);
  const topicSafe = /^[a-z0-9-]*$/.test(topicSlug);
  const titleSafe = /^[a-z0-9-]*$/.test(titleSlug);
  const parts = [date, cap(toUrlSafe(topicSlug), 40), cap(toUrlSafe(titleSlug), 50)].filter((p) => p !== '');
  let id = parts.join('-');
  if (!topicSafe || !titleSafe || cap(toUrlSafe(titleSlug), 50) === '') {
    const hash = createHash('sha256')
      .update(`${topicSlug}\n${title.normalize('NFC').trim()}`, 'utf8')
      .digest('hex')
      .slice(0, 8);
    id = `${id}-${hash}`;
  }
  return id;
}

/** Deterministic strings from pieces digests are made of: ASCII, CJK, kana, Hangul, accents, punctuation. */
function sampleTexts(count: number): string[] {
  const pieces = [
    'A',
    'b',
    'Z',
    '7',
    '0',
    ' ',
    '-',
    '/',
    ':',
    '%',
    '.',
    '’',
    '“',
    '”',
    '—',
    '–',
    '…',
    '\u00a0',
    '·',
    '科',
    '技',
    '万',
    '销',
    '售',
    '额',
    '汽',
    '车',
    '、',
    '。',
    '，',
    '：',
    '；',
    '？',
    '！',
    '（',
    '）',
    '《',
    '》',
    '％',
    '／',
    '　',
    'ア',
    'ー',
    'が',
    'の',
    '・',
    '경',
    '제',
    'é',
    'Ł',
    'ß',
    '５',
    'Ｇ',
    'ﬁ',
    '²',
    '\u0301',
    '\u3099',
    '々',
    '〇',
    '豈',
    '\u200b',
    '😀',
  ];
  let seed = 20231127;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + (next() % 24) }, () => pieces[next() % pieces.length]).join(''),
  );
}

describe('Function: slugify and storyIdFor, against the normalisation-based rules', () => {
  const texts = sampleTexts(3000);

  it('slugs every sample exactly as NFKD, folding and NFC would', () => {
    // Act
    const mismatches = texts.filter((text) => slugify(text) !== referenceSlug(text));

    // Assess
    expect(mismatches).toEqual([]);
  });

  it('gives every sample title the id the normalisation-based rules give, hash included', () => {
    // Act
    const mismatches = texts.filter(
      (title) =>
        storyIdFor('2021-09-10', 'cars', title) !== referenceStoryId('2021-09-10', 'cars', title) ||
        storyIdFor('2021-09-10', '汽车', title) !== referenceStoryId('2021-09-10', '汽车', title),
    );

    // Assess
    expect(mismatches).toEqual([]);
  });

  it('keeps the id of a CJK title with full-width punctuation as before', () => {
    // Act
    const id = storyIdFor('2023-05-09', '房地产', '万科：4月销售额同比增长17%');

    // Assess
    expect(id).toBe(referenceStoryId('2023-05-09', '房地产', '万科：4月销售额同比增长17%'));
    expect(id).toMatch(/^2023-05-09-4-17-[0-9a-f]{8}$/);
  });
});
