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

/** A stream record of an issue record of December 2020 (see `IssueRegistry`), before and after. */
function issueRecord(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  sequenceNumber = '700',
): DynamoDBRecord {
  const image = (item: Record<string, unknown> | null) =>
    item === null
      ? undefined
      : {
          pk: { S: 'ISSUES#2020-12' },
          sk: { S: '2020-12-01T09:19:00Z#digests/a.txt' },
          live: { BOOL: item.live !== false },
          ...(item.live === false
            ? {}
            : {
                title: { S: String(item.title ?? 'CX Daily') },
                summary: { S: 'A summary.' },
                date: { S: '2020-12-01' },
                publishedAt: { S: '2020-12-01T09:19:00Z' },
                storyIds: { L: [{ S: PERSONAL_DATA_STORY }] },
              }),
        };
  return {
    eventName: before === null ? 'INSERT' : 'MODIFY',
    dynamodb: {
      Keys: { pk: { S: 'ISSUES#2020-12' }, sk: { S: '2020-12-01T09:19:00Z#digests/a.txt' } },
      SequenceNumber: sequenceNumber,
      ...(before === null ? {} : { OldImage: image(before) }),
      ...(after === null ? {} : { NewImage: image(after) }),
    },
  } as DynamoDBRecord;
}

describe('Function: planRender, issue records', () => {
  it('renders the issues of the month, the issue listings and the sitemap for a new issue', () => {
    // Act
    const plan = planRender([issueRecord(null, {})]);

    // Assess
    expect([...plan.issueMonths]).toEqual(['2020-12']);
    expect([...plan.sitemapMonths]).toEqual(['2020-12']);
    expect(plan.storyIds.size).toBe(0);
    expect(plan.listings).toBe(false);
    expect(plan.unitsByRecord.get('700')).toEqual(['issues:2020-12', 'issue-listings', 'sitemap']);
  });

  it('renders the month again when a correction renames the issue, or a delete withdraws it', () => {
    // Act
    const renamed = planRender([issueRecord({}, { title: 'CX Daily, corrected' })]);
    const withdrawn = planRender([issueRecord({}, { live: false })]);

    // Assess
    expect([...renamed.issueMonths]).toEqual(['2020-12']);
    expect([...withdrawn.issueMonths]).toEqual(['2020-12']);
  });

  it('asks for nothing when a tombstone is written again or the record is unchanged', () => {
    // Act
    const tombstone = planRender([issueRecord({ live: false }, { live: false })]);
    const same = planRender([issueRecord({}, {})]);

    // Assess
    expect(tombstone.issueMonths.size + same.issueMonths.size).toBe(0);
    expect(tombstone.unitsByRecord.size + same.unitsByRecord.size).toBe(0);
  });

  it("renders the issues of a changed story's digest month, which its position may push past its own", () => {
    // Prepare: a story dated 2 s before a digest at midnight on 1 January, third in its digest.
    const record = structuredClone(only('story-insert'));
    const story = record.dynamodb?.NewImage?.story?.M;
    if (story === undefined) throw new Error('sample changed');
    story.publishedAt = { S: '2020-12-31T23:59:58Z' };
    story.position = { N: '2' };

    // Act
    const plan = planRender([record]);

    // Assess
    expect([...plan.issueMonths]).toEqual(['2021-01']);
    expect([...plan.sitemapMonths].sort()).toEqual(['2020-12', '2021-01']);
  });
});

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

describe('Function: planRender, redirect records', () => {
  it('makes the old id of a redirect record a story unit of its own, and touches nothing else', () => {
    // Prepare
    const record: DynamoDBRecord = {
      eventName: 'INSERT',
      dynamodb: {
        Keys: { pk: { S: 'REDIRECTS' }, sk: { S: '2024-05-07-city-mayor-resigns' } },
        NewImage: {
          pk: { S: 'REDIRECTS' },
          sk: { S: '2024-05-07-city-mayor-resigns' },
          kind: { S: 'redirect' },
          from: { S: '2024-05-07-city-mayor-resigns' },
          to: { S: '2024-05-07-city-mayor-resigns-after-ten-years' },
        },
        SequenceNumber: '900',
      },
    };

    // Act
    const plan = planRender([record]);

    // Assess
    expect([...(plan.redirectIds ?? [])]).toEqual(['2024-05-07-city-mayor-resigns']);
    expect(plan.unitsByRecord.get('900')).toEqual(['story:2024-05-07-city-mayor-resigns']);
    expect({ stories: plan.storyIds.size, topics: plan.topics.size, listings: plan.listings }).toEqual({
      stories: 0,
      topics: 0,
      listings: false,
    });
  });
});
