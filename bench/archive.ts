import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseDigest, type Story } from '@feedwright/digest';
import { renderTopicFeeds, resolveSiteConfig, storyPath } from '@feedwright/site';
import { Feed } from 'feed';
import { digestOnDay } from '../tests/support/archive.ts';
import { median } from './measure.ts';
import { scratchRoot } from './scratch.ts';

/** Writes `count` digests of the corpus over `count` days into a new folder under `work`. */
export async function writeCorpusOverDays(
  corpus: readonly string[],
  count: number,
  work: string,
): Promise<string> {
  const dir = path.join(work, `digests-${count}`);
  await mkdir(dir, { recursive: true });
  for (let day = 0; day < count; day += 1) {
    const text = digestOnDay(corpus[day % corpus.length] as string, day);
    await writeFile(path.join(dir, `digest-${String(day).padStart(4, '0')}.txt`), text);
  }
  return dir;
}

/** Runs the installed `feedwright` bin with `args`, as a user runs it; rejects if it exits non-zero. */
export function runFeedwright(root: string, args: readonly string[]): Promise<void> {
  const bin = path.join(root, 'node_modules', '.bin', 'feedwright');
  return new Promise<void>((resolve, reject) => {
    execFile(bin, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error) =>
      error === null ? resolve() : reject(error),
    );
  });
}

/**
 * `build_1k_s`: wall time of `feedwright build` (the installed bin, as a user runs it) over the digests
 * in `dir` (the bench gives it 1,000 of the corpus moved over 1,000 days), archive and search index
 * included, written to the RAM disk where there is one (`scratchRoot`). Best of `runs`: the machine is
 * shared.
 */
export async function buildSeconds(root: string, dir: string, runs = 2): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const out = await mkdtemp(path.join(scratchRoot(), 'feedwright-bench-build-'));
    const start = performance.now();
    await runFeedwright(root, ['build', dir, '--out', out, '--base-url', 'https://feeds.example.com/']);
    best = Math.min(best, (performance.now() - start) / 1000);
    await rm(out, { recursive: true, force: true });
  }
  return best;
}

/**
 * `peer_render_ratio`: `feed@6`'s time ÷ feedwright's for the same 50 items in the three formats (median
 * of many rounds after a warm-up). Above 1 means feedwright is faster.
 */
export function peerRenderRatio(corpus: readonly string[]): number {
  const stories: Story[] = [];
  for (let day = 0; stories.length < 50; day += 1) {
    stories.push(...parseDigest(digestOnDay(corpus[day % corpus.length] as string, day)).stories);
  }
  const fifty = stories.slice(0, 50);
  const config = resolveSiteConfig({ baseUrl: 'https://feeds.example.com/' });
  const topic = { slug: 'all', name: 'All stories' };
  const ours = (): number =>
    renderTopicFeeds(topic, fifty, config).reduce((sum, file) => sum + file.body.length, 0);
  const theirs = (): number => {
    const feed = new Feed({
      title: 'feedwright: All stories',
      id: 'tag:feeds.example.com,2020:feed/all',
      link: 'https://feeds.example.com/',
      language: 'en',
      copyright: '',
      updated: new Date(fifty[0]?.publishedAt ?? 0),
      feedLinks: {
        atom: 'https://feeds.example.com/feeds/all/atom.xml',
        json: 'https://feeds.example.com/feeds/all/feed.json',
      },
      author: { name: 'feedwright editors' },
    });
    for (const story of fifty) {
      feed.addItem({
        title: story.title,
        id: `tag:feeds.example.com,2020:story/${story.storyId}`,
        link: `https://feeds.example.com/${storyPath(story.storyId)}`,
        date: new Date(story.publishedAt),
        description: story.paragraphs[0] ?? '',
        content: story.paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join(''),
        category: [{ name: story.topic }],
      });
    }
    return feed.rss2().length + feed.atom1().length + feed.json1().length;
  };
  const time = (work: () => number): number => {
    const warm = performance.now() + 500;
    while (performance.now() < warm) work();
    const samples: number[] = [];
    for (let round = 0; round < 31; round += 1) {
      const start = performance.now();
      for (let i = 0; i < 10; i += 1) work();
      samples.push(performance.now() - start);
    }
    return median(samples);
  };
  return time(theirs) / time(ours);
}
