import type { FeedHistory } from './feed-model.ts';
import { escapeAttribute } from './text.ts';

/** The RFC 5005 namespace of `<fh:archive/>`. */
export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';

const ATOM_TYPE = 'application/atom+xml';

/**
 * The RFC 5005 lines of a feed head, each starting with `open` (`  <link` in Atom, `    <atom:link` in
 * RSS): `<fh:archive/>` and `rel="current"` on an archive document, then `prev-archive` and
 * `next-archive`. Archive documents are Atom, so every link is typed `application/atom+xml`.
 */
export function atomHistoryLines(history: FeedHistory | undefined, open: string): string[] {
  if (history === undefined) return [];
  const indent = open.slice(0, open.indexOf('<'));
  const link = (rel: string, href: string): string =>
    `${open} rel="${rel}" type="${ATOM_TYPE}" href="${escapeAttribute(href)}"/>`;
  const lines: string[] = [];
  if (history.current !== undefined) {
    lines.push(`${indent}<fh:archive/>`, link('current', history.current.atom));
  }
  if (history.prevArchive !== undefined) lines.push(link('prev-archive', history.prevArchive.atom));
  if (history.nextArchive !== undefined) lines.push(link('next-archive', history.nextArchive.atom));
  return lines;
}
