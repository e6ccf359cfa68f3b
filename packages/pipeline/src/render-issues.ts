import { assignIssueIds, type Issue } from '@feedwright/site';
import type { IssueRecord, IssueRegistry } from '@feedwright/storage';

/**
 * The issues of one UTC month ('yyyy-mm') as the site shows them: ONE Query of the issue registry, ids
 * decided by `assignIssueIds`, the same rule `feedwright build` applies to its digests, so the `-2`
 * suffix of colliding ids and the re-upload of a digest under another key come out the same.
 *
 * Two digests can collide only when they share a date line, hence (but for a date line whose day
 * straddles a UTC month boundary) the same month: assigning per month is what makes it one Query.
 */
export async function issuesOfMonth(registry: IssueRegistry, month: string): Promise<Issue[]> {
  return assignIssueIds((await registry.issuesOfMonth(month)).map(issueSourceOf));
}

function issueSourceOf(record: IssueRecord) {
  return {
    title: record.title,
    summary: record.summary,
    date: record.date,
    publishedAt: record.publishedAt,
    stories: record.storyIds.map((storyId) => ({ storyId })),
  };
}
