import { FEED_FORMATS, feedPath } from './urls.ts';

// The file names of the three formats, as feedPath writes them.
const FEED_FILES = FEED_FORMATS.map((format) =>
  feedPath('x', format).slice('feeds/x/'.length).replace('.', '\\.'),
).join('|');

/**
 * Paths of the feeds readers subscribe to, which advertise the WebSub hub and are published to it when
 * they change: `feeds/<slug>/{rss.xml,atom.xml,feed.json}` (topics and `all`) and the issue feed
 * `issues/{rss.xml,atom.xml,feed.json}`. Archive documents (`feeds/<slug>/archive/…`) never change
 * once written and are not subscribed to. The source is shared with the CloudFront function.
 */
export const SUBSCRIPTION_FEED_PATH = new RegExp(`^(?:feeds/[^/]+|issues)/(?:${FEED_FILES})$`);

/** Whether a site path (no leading '/') is a subscription feed: see {@link SUBSCRIPTION_FEED_PATH}. */
export function isSubscriptionFeedPath(path: string): boolean {
  return SUBSCRIPTION_FEED_PATH.test(path);
}

/** The WebSub discovery header of a feed response: `Link: <hub>; rel="hub", <self>; rel="self"`. */
export function websubLinkHeader(hubUrl: string, selfUrl: string): string {
  return `<${hubUrl}>; rel="hub", <${selfUrl}>; rel="self"`;
}
