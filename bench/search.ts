import { performance } from 'node:perf_hooks';
import { parseDigest, type Story } from '@feedwright/digest';
import { buildSearchFiles } from '@feedwright/search';
import { resolveSiteConfig } from '@feedwright/site';
import { digestOnDay } from '../tests/support/archive.ts';

/**
 * `search_index_1k_s`: wall time of `buildSearchFiles` — the one function behind `feedwright build`'s,
 * the local stack's and the search-index Lambda's index — over the stories of `count` digests of the
 * corpus moved over as many days (Pagefind's index of every story, the page and its script). Best of
 * `runs`: the machine is shared. Parsing is not timed.
 */
export async function searchIndexSeconds(
  corpus: readonly string[],
  count: number,
  runs = 2,
): Promise<number> {
  const stories: Story[] = [];
  for (let day = 0; day < count; day += 1) {
    stories.push(...parseDigest(digestOnDay(corpus[day % corpus.length] as string, day)).stories);
  }
  const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    await buildSearchFiles(stories, config);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}
