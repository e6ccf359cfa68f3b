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
