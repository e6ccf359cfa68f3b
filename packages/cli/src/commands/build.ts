import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MAX_DIGEST_BYTES,
  DigestError,
  InvalidStoryError,
  resolveTimeZone,
} from '@feedwright/digest';
import { buildSearchFiles, SearchIndexError } from '@feedwright/search';
import {
  assignIssueIds,
  buildSite,
  DEFAULT_SITE_CONFIG,
  resolveSiteConfig,
  SEARCH_INDEX_PREFIX,
  type SiteConfig,
  SiteConfigError,
  type SiteFile,
} from '@feedwright/site';
import type { SiteObject } from '@feedwright/storage';
import { mergeStories, type NamedDigest } from '../build/digests.ts';
import { collectDigestFiles } from '../build/inputs.ts';
import { removeStaleFiles, writeSiteTree } from '../build/write-tree.ts';
import type { Command } from '../command.ts';
import { asUsageError, UsageError } from '../command.ts';
import { readDigestFile } from '../digest-file.ts';

const usage = `Usage: feedwright build FILE_OR_DIR... --out DIR [options]

Renders the whole site from digest files, with no AWS, byte for byte what the pipeline writes for
the same digests: feeds per topic and for all stories, story pages, index.html, feeds.opml, and the
archive (topic and month pages, issue pages, listings and feed, RFC 5005 archive documents,
sitemap), and the search page with its index (search.html, search.js, pagefind/). A folder contributes its *.txt files and saved e-mails (*.eml), not recursively.
A rejected digest is reported on stderr and the rest is still built.

Options:
  --out DIR            folder to write the site into (created if missing)
  --base-url URL       absolute URL the site is served from (default ${DEFAULT_SITE_CONFIG.baseUrl})
  --timezone TZ        IANA zone the digests' date lines are read in (default UTC)
  --site-title TEXT    site title (default '${DEFAULT_SITE_CONFIG.siteTitle}')
  --items N            items per feed (default ${DEFAULT_SITE_CONFIG.itemsPerFeed})
  --hub URL            WebSub hub the feeds advertise (default none)
  --no-archive         leave the archive out: feeds (without prev-archive links), story pages
                       (without issue links), index.html and feeds.opml only
  --max-bytes N        largest digest file accepted, in bytes (default ${DEFAULT_MAX_DIGEST_BYTES})
  -h, --help           show this help

Exit status: 0 all built; 1 some input rejected (the rest built); 2 wrong usage.`;

/** How many files make a build long enough to report progress. */
const PROGRESS_FROM = 20;

interface BuildOptions {
  readonly inputs: readonly string[];
  readonly outDir: string;
  readonly timezone: string;
  readonly maxBytes: number;
  readonly site: SiteConfig;
  readonly archive: boolean;
}

function parseOptions(argv: readonly string[]): BuildOptions {
  const parsed: ReturnType<typeof parseWithNode> = asUsageError(() => parseWithNode(argv));
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('name at least one digest file or folder');
  if (values.out === undefined || values.out === '') throw new UsageError('--out DIR is required');
  const items = values.items === undefined ? undefined : wholeNumber('--items', values.items);
  const maxBytes =
    values['max-bytes'] === undefined
      ? DEFAULT_MAX_DIGEST_BYTES
      : wholeNumber('--max-bytes', values['max-bytes']);
  let timezone: string;
  let site: SiteConfig;
  try {
    timezone = resolveTimeZone(values.timezone ?? 'UTC');
    site = resolveSiteConfig({
      baseUrl: values['base-url'],
      siteTitle: values['site-title'],
      itemsPerFeed: items,
      hubUrl: values.hub,
    });
  } catch (error) {
    if (error instanceof DigestError || error instanceof SiteConfigError) throw new UsageError(error.message);
    throw error;
  }
  return {
    inputs: positionals,
    outDir: values.out,
    timezone,
    maxBytes,
    site,
    archive: values['no-archive'] !== true,
  };
}

function parseWithNode(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'base-url': { type: 'string' },
      timezone: { type: 'string' },
      'site-title': { type: 'string' },
      items: { type: 'string' },
      hub: { type: 'string' },
      'no-archive': { type: 'boolean' },
      'max-bytes': { type: 'string' },
    },
  });
}

function wholeNumber(flag: string, value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new UsageError(`${flag} must be a whole number above 0, not '${value}'`);
  }
  return number;
}

async function build(options: BuildOptions): Promise<number> {
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const { files, problems } = await collectDigestFiles(options.inputs);
  let rejected = problems.length;
  for (const problem of problems) say(`feedwright: ${problem.path}: ${problem.reason}`);

  const digests: NamedDigest[] = [];
  const step = Math.max(1, Math.ceil(files.length / 10));
  for (const [index, file] of files.entries()) {
    try {
      digests.push({
        name: file,
        digest: await readDigestFile(file, { maxBytes: options.maxBytes, timezone: options.timezone }),
      });
    } catch (error) {
      rejected += 1;
      say(`feedwright: ${file}: ${rejectionReason(error)}`);
    }
    const done = index + 1;
    if (files.length >= PROGRESS_FROM && (done % step === 0 || done === files.length)) {
      say(`feedwright: parsed ${done}/${files.length}`);
    }
  }

  if (digests.length === 0) {
    say(`feedwright: nothing to build: no digest was accepted (${rejected} rejected)`);
    return 1;
  }
  const stories = mergeStories(digests);
  let site: SiteFile[];
  let search: SiteObject[];
  try {
    site = buildSite(
      stories,
      options.site,
      options.archive ? { issues: assignIssueIds(digests.map((entry) => entry.digest)) } : {},
    );
    search = await buildSearchFiles(stories, options.site, { archive: options.archive });
  } catch (error) {
    if (!(error instanceof InvalidStoryError || error instanceof SearchIndexError)) throw error;
    say(`feedwright: cannot render the site: ${error.message}`);
    return 1;
  }
  const outDir = resolve(options.outDir);
  await writeSiteTree(outDir, [...site, ...search]);
  // The index's file names follow its content: those of an earlier build into this folder are stale.
  await removeStaleFiles(outDir, SEARCH_INDEX_PREFIX, new Set(search.map((file) => file.path)));
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  say(
    `built ${plural(site.length + search.length, 'file')} from ${plural(digests.length, 'digest')} (${rejected} rejected) into ${outDir}`,
  );
  return rejected > 0 ? 1 : 0;
}

/** Why a file was refused: a DigestError's reason as ingest gives it, or what broke the parser. */
function rejectionReason(error: unknown): string {
  if (error instanceof DigestError) return error.message;
  return `could not be parsed (${error instanceof Error ? error.message : String(error)})`;
}

/** `feedwright build`: the whole site from digest files, no AWS needed. */
export const buildCommand: Command = {
  summary: 'write the whole site from digests',
  usage,
  async run(argv) {
    return build(parseOptions(argv));
  },
};
