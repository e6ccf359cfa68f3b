import type { Story } from '@feedwright/digest';
import { issuePath, topicPagePath } from './archive-paths.ts';
import { type Issue, issueTitle } from './issues.ts';
import { relativeHref } from './page-links.ts';
import { escapeMarkup } from './text.ts';
import { storyTitle, type TopicRef, topicName } from './topics.ts';
import { storyPath } from './urls.ts';

/** Where a story page leads: its topic's page, its issue, and the stories before and after it there. */
export interface StoryNav {
  readonly issue: Issue | null;
  readonly previous: Story | null;
  readonly next: Story | null;
}

/** The story page's navigation, relative to stories/: plain links, no script. */
export function storyNavHtml(topic: TopicRef, nav: StoryNav): string {
  const prefix = '../';
  const x = escapeMarkup;
  const items = [
    `<li>More on <a href="${relativeHref(prefix, topicPagePath(topic.slug))}">${x(topicName(topic))}</a></li>`,
  ];
  if (nav.issue !== null) {
    items.push(
      `<li>In the issue <a href="${relativeHref(prefix, issuePath(nav.issue.issueId))}">${x(issueTitle(nav.issue))}</a></li>`,
    );
  }
  if (nav.previous !== null) {
    items.push(
      `<li>Previous: <a href="${relativeHref(prefix, storyPath(nav.previous.storyId))}" rel="prev">${x(storyTitle(nav.previous))}</a></li>`,
    );
  }
  if (nav.next !== null) {
    items.push(
      `<li>Next: <a href="${relativeHref(prefix, storyPath(nav.next.storyId))}" rel="next">${x(storyTitle(nav.next))}</a></li>`,
    );
  }
  return `<nav aria-label="More stories">\n<ul>\n${items.join('\n')}\n</ul>\n</nav>`;
}
