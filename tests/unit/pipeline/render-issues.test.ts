import { readFileSync } from 'node:fs';
import { acceptDigest } from '@feedwright/digest';
import { ingestDigestEvent, issuesOfMonth } from '@feedwright/pipeline';
import { assignIssueIds } from '@feedwright/site';
import { TableIssueRegistry, TableStoryStore } from '@feedwright/storage';
import { MemoryDigestSource, MemoryItemTable } from '@feedwright/testing';
import { describe, expect, it } from 'vitest';
import { digestEventsIn } from './digest-events.ts';

const SEED = readFileSync(new URL('../../fixtures/digests/cx-daily-2020-12-01.txt', import.meta.url), 'utf8');
/** Another digest of the same day with the same title: its issue id collides with SEED's. */
const EVENING = [
  'Dec 01, 2020 05:00 PM',
  '',
  'CX Daily: The Fight Over China’s Law to Protect Personal Data',
  '',
  'An evening edition <script>alert(1)</script>.',
  '',
  'Autos /',
  '',
  'An evening story about cars',
  '',
  'Cars were sold in the evening.',
  '',
].join('\n');
const BUCKET = 'feedwright-incoming';

const { created } = digestEventsIn(BUCKET);

describe('Function: issuesOfMonth', () => {
  it('gives the issues `feedwright build` assigns to the same digests: colliding ids suffixed, a re-upload one issue', async () => {
    // Prepare
    const source = new MemoryDigestSource();
    const table = new MemoryItemTable();
    const issues = new TableIssueRegistry(table);
    const services = { source, stories: new TableStoryStore(table), issues };
    const uploads: [string, string][] = [
      ['digests/morning.txt', SEED],
      ['digests/evening.txt', EVENING],
      ['digests/morning copy.txt', SEED],
    ];
    for (const [key, text] of uploads) {
      source.put(BUCKET, key, text);
      await ingestDigestEvent(created(key), services);
    }
    const built = assignIssueIds(uploads.map(([, text]) => acceptDigest(new TextEncoder().encode(text))));

    // Act
    const recorded = await issuesOfMonth(issues, '2020-12');

    // Assess
    expect(recorded).toEqual(built);
    expect(recorded.map((issue) => issue.issueId)).toEqual([
      '2020-12-01-cx-daily-the-fight-over-china-s-law-to',
      '2020-12-01-cx-daily-the-fight-over-china-s-law-to-2',
    ]);
    expect(await issuesOfMonth(issues, '2020-11')).toEqual([]);
  });
});
