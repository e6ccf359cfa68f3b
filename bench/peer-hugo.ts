import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { acceptDigest, type Story } from '@feedwright/digest';
import { scratchRoot } from './scratch.ts';

/**
 * The peer of `feedwright build`: Hugo (Debian's `hugo`), the fastest static site generator in
 * common use, building the same stories as pages with per-topic RSS. It gets the work that is alike
 * in both: a page per story from its text, and each topic's newest 50 stories as an RSS feed (Hugo's
 * own taxonomy pages and templates). feedwright's build does more besides (Atom and JSON Feed, the
 * archive, issue pages, the sitemap): the comparison is not flattering to us.
 */

/** Is Debian's `hugo` on the PATH? (`apt-get install hugo`; the bench reports null without it.) */
export function hugoVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('hugo', ['version'], (error, stdout) => resolve(error === null ? stdout.trim() : undefined));
  });
}

// Minimal layouts, as a theme's would be: the story page, and lists; RSS is Hugo's embedded template.
const LAYOUTS: Readonly<Record<string, string>> = {
  '_default/baseof.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>' +
    '{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}' +
    '</head><body>{{ block "main" . }}{{ end }}</body></html>',
  '_default/single.html':
    '{{ define "main" }}<article><h1>{{ .Title }}</h1><p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">' +
    '{{ .Date.Format "Jan 2, 2006 15:04" }}</time> · {{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>' +
    '{{ .Content }}</article>{{ end }}',
  '_default/list.html':
    '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range first 50 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
};

const CONFIG = `baseURL = "https://feeds.example.com/"
languageCode = "en"
title = "feedwright peer"
disableKinds = ["sitemap", "robotsTXT", "404"]
[taxonomies]
  topic = "topics"
[outputs]
  home = ["HTML"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS"]
[services.rss]
  limit = 50
`;

/** Markdown of a story's body: paragraphs, list items as they were typed, related headlines as a list. */
function markdownOf(story: Story): string {
  const literal = (text: string) => text.replace(/[\\`*_{}[\]<>()#+!|]/g, (c) => `\\${c}`);
  const parts = story.paragraphs.map(literal);
  if (story.imageCaption !== null) parts.unshift(`*${literal(story.imageCaption)}*`);
  if (story.related.length > 0) parts.push(story.related.map((line) => `- ${literal(line)}`).join('\n'));
  return parts.join('\n\n');
}

/** Hugo's own time, and Pagefind's over Hugo's output (the search a Hugo site gets), best of the runs. */
export interface HugoTimes {
  readonly hugo: number;
  /** Pagefind's CLI indexing Hugo's pages: what a searchable Hugo site adds to its build. */
  readonly pagefind: number;
}

/**
 * Writes a Hugo site of every story of the digests in `digestsDir` (untimed), then times `hugo` building
 * it into the RAM disk where there is one (as `feedwright build` is timed), and Pagefind's CLI indexing
 * that output: best of `runs` each, each into a new folder with Hugo's caches off.
 */
export async function hugoBuildSeconds(digestsDir: string, work: string, runs = 2): Promise<HugoTimes> {
  const site = path.join(work, 'hugo-site');
  const stories = path.join(site, 'content', 'stories');
  await mkdir(stories, { recursive: true });
  await writeFile(path.join(site, 'hugo.toml'), CONFIG);
  for (const [file, body] of Object.entries(LAYOUTS)) {
    await mkdir(path.dirname(path.join(site, 'layouts', file)), { recursive: true });
    await writeFile(path.join(site, 'layouts', file), body);
  }
  for (const name of (await readdir(digestsDir)).filter((n) => n.endsWith('.txt')).sort()) {
    const digest = acceptDigest(await readFile(path.join(digestsDir, name)));
    for (const story of digest.stories) {
      const front = {
        title: story.title,
        date: story.publishedAt,
        topics: [story.topic],
        slug: story.storyId,
      };
      await writeFile(
        path.join(stories, `${story.storyId}.md`),
        `${JSON.stringify(front)}\n\n${markdownOf(story)}\n`,
      );
    }
  }
  let hugo = Number.POSITIVE_INFINITY;
  let pagefind = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run += 1) {
    const out = await mkdtemp(path.join(scratchRoot(), 'feedwright-bench-hugo-'));
    hugo = Math.min(
      hugo,
      await seconds('hugo', ['--quiet', '--ignoreCache', '--source', site, '--destination', out]),
    );
    pagefind = Math.min(pagefind, await seconds(pagefindBinary(), ['--site', out, '--silent']));
    await rm(out, { recursive: true, force: true });
  }
  return { hugo, pagefind };
}

/** Wall time of running `command` to its end, in seconds; rejects if it fails. */
async function seconds(command: string, args: readonly string[]): Promise<number> {
  const start = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error) =>
      error === null ? resolve() : reject(error),
    );
  });
  return (performance.now() - start) / 1000;
}

/** The Pagefind binary the `pagefind` package installed for this platform (the one `feedwright build` runs). */
function pagefindBinary(): string {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}-${arch()}`;
  const require = createRequire(import.meta.url);
  return require.resolve(`@pagefind/${platform}/bin/pagefind_extended`);
}
