import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { attr, htmlElements } from './validators.ts';

/** Every file under `dir`, by relative path with '/' separators, sorted. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: [string, string][] = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const full = join(entry.parentPath, entry.name);
    files.push([relative(dir, full).split('\\').join('/'), await readFile(full, 'utf8')]);
  }
  return new Map(files.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * A digest moved to `day` days after 2023-01-01 (the date line is the first line), so that every copy
 * brings new story ids (and issue ids and months: the bench moves its corpus over 1,000 days with it).
 */
export function digestOnDay(text: string, day: number): string {
  const date = new Date(Date.UTC(2023, 0, 1 + day));
  const label = date.toLocaleDateString('en-US', {
    month: 'short',
    day: '2-digit',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return `${label} 08:00 AM${text.replace(/^\uFEFF?[^\r\n]*/, '')}`;
}

/** One document of an archive chain: its tree path and the ids of its items. */
export interface ChainDocument {
  readonly path: string;
  readonly ids: readonly string[];
}

/** A site path from an absolute URL under `baseUrl` (percent-decoded), or an error naming the URL. */
export function pathOf(url: string, baseUrl: string): string {
  if (!url.startsWith(baseUrl)) throw new Error(`${url} is not under ${baseUrl}`);
  return url.slice(baseUrl.length).split('/').map(decodeURIComponent).join('/');
}

/**
 * Walks an archive chain from a subscription feed as a feed reader would, with feedsmith reading each
 * document: Atom and RSS by `prev-archive`, JSON Feed by `next_url`. Returns every document visited, the
 * subscription feed first; throws on a missing document or a loop.
 */
export function walkChain(
  tree: ReadonlyMap<string, string>,
  start: string,
  baseUrl: string,
  direction: 'prev-archive' | 'next-archive' = 'prev-archive',
): ChainDocument[] {
  const visited: ChainDocument[] = [];
  const seen = new Set<string>();
  let path: string | undefined = start;
  while (path !== undefined) {
    if (seen.has(path)) throw new Error(`archive chain loops back to ${path}`);
    seen.add(path);
    const body = tree.get(path);
    if (body === undefined) throw new Error(`archive chain names ${path}, which was not written`);
    let next: string | undefined;
    let ids: string[];
    if (path.endsWith('.json')) {
      const feed = parseJsonFeed(JSON.parse(body));
      ids = (feed.items ?? []).map((item) => item.id ?? '');
      next = direction === 'prev-archive' ? feed.next_url : undefined;
    } else if (path.endsWith('rss.xml')) {
      const feed = parseRssFeed(body);
      ids = (feed.items ?? []).map((item) => item.guid?.value ?? '');
      next = feed.atom?.links?.find((link) => link.rel === direction)?.href;
    } else {
      const feed = parseAtomFeed(body);
      ids = (feed.entries ?? []).map((entry) => entry.id ?? '');
      next = feed.links?.find((link) => link.rel === direction)?.href;
    }
    visited.push({ path, ids });
    path = next === undefined ? undefined : pathOf(next, baseUrl);
  }
  return visited;
}

/** Every page reachable from `start` by plain `<a href>` links between .html pages of the tree. */
export function reachablePages(tree: ReadonlyMap<string, string>, start = 'index.html'): Set<string> {
  const reached = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const page = queue.shift() as string;
    const body = tree.get(page);
    if (body === undefined) continue;
    const base = new URL(page.split('/').map(encodeURIComponent).join('/'), 'http://site.invalid/');
    for (const element of htmlElements(body)) {
      const href = element.tagName === 'a' ? attr(element, 'href') : undefined;
      if (href === undefined) continue;
      const target = new URL(href, base);
      if (target.origin !== base.origin) continue;
      const path = target.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
      if (!path.endsWith('.html') || reached.has(path)) continue;
      reached.add(path);
      queue.push(path);
    }
  }
  return reached;
}
