import { planRender } from '@feedwright/pipeline';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadStreamEvent } from '../functions/events.ts';

const PERSONAL_DATA_STORY = '2020-12-01-personal-data-cover-story-the-fight-over-china-s-law-to-protect';

function only(name: string): DynamoDBRecord {
  const [record] = loadStreamEvent(name).Records;
  if (record === undefined) throw new Error(`events/dynamodb/${name}.json has no record`);
  return record;
}

/** A plan's months by topic, sorted, as a plain object to compare. */
function monthsOf(topicMonths: ReadonlyMap<string, ReadonlySet<string>>): Record<string, string[]> {
  return Object.fromEntries([...topicMonths].map(([slug, months]) => [slug, [...months].sort()]));
}

describe('Function: planRender', () => {
  it('renders the page, the topic, all, and the listings for a new story', () => {
    // Act
    const plan = planRender([only('story-insert')]);

    // Assess
    expect([...plan.storyIds]).toEqual([PERSONAL_DATA_STORY]);
    expect([...plan.topics].sort()).toEqual(['all', 'personal-data']);
    expect(plan.listings).toBe(true);
  });

  it('renders the topic a withdrawn story leaves, and removes its page', () => {
    // Act
    const plan = planRender([only('story-withdraw')]);

    // Assess
    expect([...plan.topics].sort()).toEqual(['all', 'metals']);
    expect(plan.storyIds.size).toBe(1);
  });

  it('renders both topics when a story moves from one topic to another', () => {
    // Prepare
    const record = structuredClone(only('story-edit'));
    const story = record.dynamodb?.NewImage?.story?.M;
    if (story === undefined || record.dynamodb?.NewImage === undefined) throw new Error('sample changed');
    story.topicSlug = { S: 'privacy' };
    record.dynamodb.NewImage.contentHash = { S: 'another-hash' };

    // Act
    const plan = planRender([record]);

    // Assess
    expect([...plan.topics].sort()).toEqual(['all', 'personal-data', 'privacy']);
  });

  it.each([
    ['a re-upload that only moves the digest stamp on', 'story-stamp-only'],
    ['a digest manifest', 'manifest-modify'],
  ])('asks for nothing for %s', (_what, name) => {
    // Act
    const plan = planRender(loadStreamEvent(name).Records);

    // Assess
    expect(plan.storyIds.size).toBe(0);
    expect(plan.topics.size).toBe(0);
    expect(plan.listings).toBe(false);
  });

  it('asks for the month of a new story in its topic and in all, and for that sitemap part', () => {
    // Act
    const plan = planRender([only('story-insert')]);

    // Assess
    expect(monthsOf(plan.topicMonths)).toEqual({ all: ['2020-12'], 'personal-data': ['2020-12'] });
    expect([...plan.sitemapMonths]).toEqual(['2020-12']);
  });

  it('asks for the old month and the new one when a story is re-dated into another month', () => {
    // Prepare
    const record = structuredClone(only('story-edit'));
    const story = record.dynamodb?.NewImage?.story?.M;
    if (story === undefined || record.dynamodb?.NewImage === undefined) throw new Error('sample changed');
    story.publishedAt = { S: '2017-03-04T05:06:07Z' };

    // Act
    const plan = planRender([record]);

    // Assess
    expect(monthsOf(plan.topicMonths)).toEqual({
      all: ['2017-03', '2020-12'],
      'personal-data': ['2017-03', '2020-12'],
    });
    expect([...plan.sitemapMonths].sort()).toEqual(['2017-03', '2020-12']);
  });

  it('asks for the month a withdrawn story leaves', () => {
    // Act
    const plan = planRender([only('story-withdraw')]);

    // Assess
    expect(monthsOf(plan.topicMonths)).toEqual({ all: ['2020-12'], metals: ['2020-12'] });
  });

  it('asks for no month for a write that changes nothing a reader sees', () => {
    // Act
    const plan = planRender([only('story-stamp-only')]);

    // Assess
    expect(plan.topicMonths.size).toBe(0);
    expect(plan.sitemapMonths.size).toBe(0);
  });

  it('gathers a whole upload into one render: every topic once, every record mapped to its units', () => {
    // Prepare
    const { Records: records } = loadStreamEvent('first-upload');

    // Act
    const plan = planRender(records);

    // Assess
    expect(plan.storyIds.size).toBe(15);
    expect([...plan.topics].sort()).toEqual([
      '5g',
      'all',
      'cash',
      'covid-19',
      'fines',
      'investment',
      'metals',
      'personal-data',
      'plastic',
      'quick-hits',
      'trucks',
    ]);
    const storyRecords = records.filter((record) => record.dynamodb?.Keys?.pk?.S?.startsWith('STORY#'));
    for (const record of storyRecords) {
      expect(plan.unitsByRecord.get(record.dynamodb?.SequenceNumber ?? '')).toContain('topic:all');
    }
    expect(plan.unitsByRecord.size).toBe(storyRecords.length);
  });
});
