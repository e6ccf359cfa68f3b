import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { acceptDigest, type Digest, type Story } from '@feedwright/digest';
import { assignIssueIds } from '@feedwright/site';
import { scratchRoot } from './scratch.ts';

/**
 * The peer of `feedwright build`: Hugo (Debian's `hugo`), the fastest static site generator in common
 * use, building the same site from the same stories, with Hugo's own means (taxonomies, output formats,
 * templates): a page per story with its topic, time, issue and neighbours; each topic's page, and its
 * newest 50 stories, whole, as RSS, Atom and JSON Feed (all stories too); a page and an archive document
 * (Atom and JSON) per topic and month, with every story of the month, whole; a page per issue, the
 * issues' page and feeds, a page and archive documents per month of issues; the sitemap. Pagefind's CLI
 * then indexes its story pages, as `feedwright build` indexes its stories: `build_vs_hugo` compares two
 * searchable sites of the same files (~11,600 pages, feeds and documents each, and the index).
 *
 * Also timed, for the record: Hugo building only the story pages and per-topic RSS (the narrowest reading
 * of the work: no Atom, JSON Feed, archive, issues or search), from the same content.
 *
 * The templates take what Hugo has at hand: the topic and issue from front matter (`.GetTerms` per page
 * cost Hugo ~1 s more), neighbours with `.PrevInSection`, bodies rendered once by Hugo's Markdown.
 */

/** Is Debian's `hugo` on the PATH? (`apt-get install hugo`; the bench reports null without it.) */
export function hugoVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('hugo', ['version'], (error, stdout) => resolve(error === null ? stdout.trim() : undefined));
  });
}

const RFC3339 = '"2006-01-02T15:04:05Z07:00"';
// Archive lists (a month of a topic, a month of issues, an issue) hold every story; feeds the newest 50.
const WHOLE = '(or (eq .Data.Plural "months") (eq .Data.Plural "issuemonths") (eq .Data.Plural "issues"))';
const TOPIC = '{{ $topic := index .Params.topics 0 }}{{ $topicURL := printf "topics/%s/" (urlize $topic) }}';

/** The same site as `feedwright build`'s: layouts for the pages, the three feed formats and the archive. */
const LAYOUTS: Readonly<Record<string, string>> = {
  '_default/baseof.html':
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>{{ .Title }} · {{ site.Title }}</title><meta name="description" content="{{ .Summary | plainify }}">' +
    '<link rel="canonical" href="{{ .Permalink }}">' +
    '{{ range .AlternativeOutputFormats }}<link rel="alternate" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}' +
    '<meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}"></head>' +
    '<body><header><a href="{{ "" | relURL }}">{{ site.Title }}</a><nav><a href="{{ "issues/" | relURL }}">Issues</a></nav>' +
    '<form role="search" action="{{ "search/" | relURL }}"><input type="search" name="q"></form></header>' +
    '<main>{{ block "main" . }}{{ end }}</main></body></html>',
  '_default/single.html': `{{ define "main" }}${TOPIC}<article data-pagefind-body><p class="meta"><a href="{{ $topicURL | relURL }}" data-pagefind-filter="topic">{{ $topic }}</a> · <time datetime="{{ .Date.Format ${RFC3339} }}" data-pagefind-meta="date">{{ .Date.Format "2 January 2006, 15:04 MST" }}</time></p><h1>{{ .Title }}</h1>{{ .Content }}</article><nav><ul><li>More on <a href="{{ $topicURL | relURL }}">{{ $topic }}</a></li>{{ range .Params.issues }}<li>In the issue <a href="{{ printf "issues/%s/" (urlize .) | relURL }}">{{ . }}</a></li>{{ end }}{{ with .PrevInSection }}<li>Previous: <a href="{{ .RelPermalink }}" rel="prev">{{ .Title }}</a></li>{{ end }}{{ with .NextInSection }}<li>Next: <a href="{{ .RelPermalink }}" rel="next">{{ .Title }}</a></li>{{ end }}</ul></nav><footer>Follow {{ $topic }}: <a href="{{ printf "%sindex.xml" $topicURL | relURL }}">RSS</a> · <a href="{{ printf "%satom.xml" $topicURL | relURL }}">Atom</a> · <a href="{{ printf "%sfeed.json" $topicURL | relURL }}">JSON Feed</a></footer>{{ end }}`,
  '_default/list.html': `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range (cond ${WHOLE} .Pages (first 50 .Pages)) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format ${RFC3339} }}">{{ .Date.Format "2 January 2006" }}</time><p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}`,
  '_default/list.rss.xml': `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{{ site.Title }}: {{ .Title }}</title><link>{{ .Permalink }}</link><description>The newest stories about {{ .Title }}</description><language>en</language>{{ with .OutputFormats.Get "RSS" }}<atom:link href="{{ .Permalink }}" rel="self" type="application/rss+xml"/>{{ end }}{{ range first 50 .Pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid isPermaLink="true">{{ .Permalink }}</guid><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate>{{ range .Params.topics }}<category>{{ . }}</category>{{ end }}<description>{{ .Summary | plainify }}</description><content:encoded>{{ .Content | html }}</content:encoded></item>{{ end }}</channel></rss>`,
  '_default/list.atom.xml': `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0" xml:lang="en"><id>{{ .Permalink }}</id><title type="text">{{ site.Title }}: {{ .Title }}</title><updated>{{ .Date.Format ${RFC3339} }}</updated><author><name>feedwright editors</name></author><link rel="alternate" type="text/html" href="{{ .Permalink }}"/>{{ with .OutputFormats.Get "Atom" }}<link rel="self" type="application/atom+xml" href="{{ .Permalink }}"/>{{ end }}{{ if ${WHOLE} }}<fh:archive/>{{ end }}{{ range (cond ${WHOLE} .Pages (first 50 .Pages)) }}<entry><id>{{ .Permalink }}</id><title type="text">{{ .Title }}</title><link rel="alternate" type="text/html" href="{{ .Permalink }}"/><published>{{ .Date.Format ${RFC3339} }}</published><updated>{{ .Date.Format ${RFC3339} }}</updated>{{ range .Params.topics }}<category term="{{ . }}"/>{{ end }}<summary type="text">{{ .Summary | plainify }}</summary><content type="html">{{ .Content | html }}</content></entry>{{ end }}</feed>`,
  '_default/list.jsonfeed.json': `{{ $items := slice }}{{ range (cond ${WHOLE} .Pages (first 50 .Pages)) }}{{ $items = $items | append (dict "id" .Permalink "url" .Permalink "title" .Title "summary" (.Summary | plainify) "content_html" (string .Content) "date_published" (.Date.Format ${RFC3339}) "tags" .Params.topics) }}{{ end }}{{ dict "version" "https://jsonfeed.org/version/1.1" "title" (printf "%s: %s" site.Title .Title) "home_page_url" .Permalink "feed_url" .Permalink "items" $items | jsonify }}`,
};

/** Per kind of list, its outputs: a topic's feeds; a month's page and archive documents; an issue's page. */
const CASCADES: Readonly<Record<string, string>> = {
  'months/_index.md': '---\ncascade:\n  outputs: ["HTML", "Atom", "JSONFeed"]\n---\n',
  'issuemonths/_index.md': '---\ncascade:\n  outputs: ["HTML", "Atom", "JSONFeed"]\n---\n',
  'issues/_index.md':
    '---\noutputs: ["HTML", "RSS", "Atom", "JSONFeed"]\ncascade:\n  outputs: ["HTML"]\n---\n',
};

const CONFIG = `baseURL = "https://feeds.example.com/"
languageCode = "en"
title = "feedwright peer"
disableKinds = ["robotsTXT", "404"]
[taxonomies]
  topic = "topics"
  month = "months"
  issue = "issues"
  issuemonth = "issuemonths"
[mediaTypes."application/atom+xml"]
  suffixes = ["xml"]
[mediaTypes."application/feed+json"]
  suffixes = ["json"]
[outputFormats.Atom]
  mediaType = "application/atom+xml"
  baseName = "atom"
[outputFormats.JSONFeed]
  mediaType = "application/feed+json"
  baseName = "feed"
  isPlainText = true
[outputs]
  home = ["HTML", "RSS", "Atom", "JSONFeed"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML", "RSS", "Atom", "JSONFeed"]
[services.rss]
  limit = 50
`;

/** The narrow peer, from the same content: story pages and each topic's RSS, Hugo's embedded template. */
const NARROW_LAYOUTS: Readonly<Record<string, string>> = {
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

const NARROW_CONFIG = `baseURL = "https://feeds.example.com/"
languageCode = "en"
title = "feedwright peer"
layoutDir = "layouts-narrow"
ignoreFiles = ["_index[.]md$"]
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

/** Hugo's times, best of the runs each. */
export interface HugoTimes {
  /** Hugo building the same site as `feedwright build` (without search). */
  readonly hugo: number;
  /** Pagefind's CLI indexing Hugo's story pages: what makes Hugo's site searchable, as ours is. */
  readonly pagefind: number;
  /** Hugo building story pages and per-topic RSS only. */
  readonly narrow: number;
}

/**
 * Writes a Hugo site of every story of the digests in `digestsDir` (untimed), then times `hugo` building
 * it into the RAM disk where there is one (as `feedwright build` is timed), Pagefind's CLI indexing that
 * output's story pages, and `hugo` building the narrow site: best of `runs` each, each into a new folder
 * with Hugo's caches off.
 */
export async function hugoBuildSeconds(digestsDir: string, work: string, runs = 2): Promise<HugoTimes> {
  const site = path.join(work, 'hugo-site');
  const stories = path.join(site, 'content', 'stories');
  await mkdir(stories, { recursive: true });
  await writeFile(path.join(site, 'hugo.toml'), CONFIG);
  await writeFile(path.join(site, 'narrow.toml'), NARROW_CONFIG);
  const files: Array<[string, string]> = [
    ...Object.entries(LAYOUTS).map(([file, body]): [string, string] => [path.join('layouts', file), body]),
    ...Object.entries(NARROW_LAYOUTS).map(([file, body]): [string, string] => [
      path.join('layouts-narrow', file),
      body,
    ]),
    ...Object.entries(CASCADES).map(([file, body]): [string, string] => [path.join('content', file), body]),
  ];
  for (const [file, body] of files) {
    await mkdir(path.dirname(path.join(site, file)), { recursive: true });
    await writeFile(path.join(site, file), body);
  }
  const digests: Digest[] = [];
  for (const name of (await readdir(digestsDir)).filter((n) => n.endsWith('.txt')).sort()) {
    digests.push(acceptDigest(await readFile(path.join(digestsDir, name))));
  }
  const issueOf = new Map<string, string>();
  for (const issue of assignIssueIds(digests)) {
    for (const storyId of issue.storyIds) issueOf.set(storyId, issue.issueId);
  }
  for (const story of digests.flatMap((digest) => digest.stories)) {
    const month = story.publishedAt.slice(0, 7);
    const front = {
      title: story.title,
      date: story.publishedAt,
      slug: story.storyId,
      summary: story.paragraphs[0] ?? '',
      topics: [story.topic],
      months: [`all ${month}`, `${story.topicSlug} ${month}`],
      issues: [issueOf.get(story.storyId)],
      issuemonths: [month],
    };
    await writeFile(
      path.join(stories, `${story.storyId}.md`),
      `${JSON.stringify(front)}\n\n${markdownOf(story)}\n`,
    );
  }
  let hugo = Number.POSITIVE_INFINITY;
  let pagefind = Number.POSITIVE_INFINITY;
  let narrow = Number.POSITIVE_INFINITY;
  const hugoInto = async (out: string, config: string) =>
    seconds('hugo', ['--quiet', '--ignoreCache', '--source', site, '--config', config, '--destination', out]);
  for (let run = 0; run < runs; run += 1) {
    const out = await mkdtemp(path.join(scratchRoot(), 'feedwright-bench-hugo-'));
    hugo = Math.min(hugo, await hugoInto(out, 'hugo.toml'));
    pagefind = Math.min(
      pagefind,
      await seconds(pagefindBinary(), ['--site', out, '--glob', 'stories/**/*.html', '--silent']),
    );
    await rm(out, { recursive: true, force: true });
    const narrowOut = await mkdtemp(path.join(scratchRoot(), 'feedwright-bench-hugo-'));
    narrow = Math.min(narrow, await hugoInto(narrowOut, 'narrow.toml'));
    await rm(narrowOut, { recursive: true, force: true });
  }
  return { hugo, pagefind, narrow };
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
