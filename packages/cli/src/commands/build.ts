import { resolve } from 'node:path';
import { SETTINGS } from '@feedwright/config';
import { DigestError, InvalidStoryError } from '@feedwright/digest';
// The index builder alone: the package's root also holds the search-index Lambda and its AWS clients.
import { openSearchIndexer, SearchIndexError } from '@feedwright/search/build';
import {
  assignIssueIds,
  buildSite,
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
import { UsageError } from '../command.ts';
import { EXIT, EXIT_STATUS_HELP, parseCommandLine, requireInputs } from '../command-line.ts';
import { readDigestFile } from '../digest-file.ts';
import { HELP_LINE, readSettingFlags, SITE_FLAGS, settingHelp, settingOptions } from '../setting-flags.ts';

/** The settings `feedwright build` takes as flags: the site's, and how digests are read. */
const BUILD_SETTINGS = [...SITE_FLAGS, 'digestTimezone', 'maxDigestBytes'] as const;

const usage = `Usage: feedwright build FILE_OR_DIR... --out DIR [options]

Renders the whole site from digest files, with no AWS, byte for byte what the pipeline writes for
the same digests: feeds per topic and for all stories, story pages, index.html, feeds.opml, and the
archive (topic and month pages, issue pages, listings and feed, RFC 5005 archive documents,
sitemap), and the search page with its index (search.html, search.js, pagefind/). A folder contributes its *.txt files and saved e-mails (*.eml), not recursively.
A rejected digest is reported on stderr and the rest is still built.

Options:
  --out DIR            folder to write the site into (created if missing)
  --no-archive         leave the archive out: feeds (without prev-archive links), story pages
                       (without issue links), index.html and feeds.opml only
${HELP_LINE}

Settings (docs/operations.md):
${settingHelp(BUILD_SETTINGS)}

${EXIT_STATUS_HELP} A rejected digest makes it 1, once the rest is built.`;

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

async function parseOptions(argv: readonly string[]): Promise<BuildOptions> {
  const { values, args } = parseCommandLine(argv, {
    options: {
      out: { type: 'string', placeholder: 'DIR' },
      'no-archive': { type: 'boolean' },
      ...settingOptions(BUILD_SETTINGS),
    },
    args: {
      name: 'FILE_OR_DIR: name at least one digest file or folder',
      min: 1,
      max: Number.POSITIVE_INFINITY,
    },
  });
  if (typeof values.out !== 'string') throw new UsageError('--out DIR is required');
  const { digestTimezone, maxDigestBytes, ...siteValues } = readSettingFlags(BUILD_SETTINGS, values);
  let site: SiteConfig;
  try {
    site = resolveSiteConfig(siteValues);
  } catch (error) {
    if (error instanceof SiteConfigError) throw new UsageError(error.message);
    throw error;
  }
  await requireInputs(args, { folders: true });
  return {
    inputs: args,
    outDir: values.out,
    timezone: digestTimezone ?? SETTINGS.digestTimezone.defaultValue ?? 'UTC',
    maxBytes: maxDigestBytes ?? SETTINGS.maxDigestBytes.defaultValue ?? 0,
    site,
    archive: values['no-archive'] !== true,
  };
}

async function build(options: BuildOptions): Promise<number> {
  const say = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // Pagefind's service starts now, on a worker thread, while this one reads the digests.
  const indexer = openSearchIndexer(options.site.language);
  const { files, problems } = await collectDigestFiles(options.inputs);
  let rejected = problems.length;
  for (const problem of problems) say(`feedwright: ${problem.path}: ${problem.reason}`);

  const digests: NamedDigest[] = [];
  const step = Math.max(1, Math.ceil(files.length / 10));
  for (const [index, file] of files.entries()) {
    try {
      const digest = await readDigestFile(file, { maxBytes: options.maxBytes, timezone: options.timezone });
      digests.push({ name: file, digest });
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
    indexer.close();
    return EXIT.refused;
  }
  const stories = mergeStories(digests);
  // Pagefind indexes in its own process, fed from a worker thread, while this one renders and writes the
  // pages.
  const searching = indexer.build(stories, options.site, { archive: options.archive });
  // Awaited below; this only keeps a render failure (which returns first) from leaving it unhandled.
  searching.catch(() => undefined);
  let site: SiteFile[];
  try {
    // Every page is rendered before any is written: a story the site cannot show leaves the folder alone.
    site = buildSite(
      stories,
      options.site,
      options.archive ? { issues: assignIssueIds(digests.map((entry) => entry.digest)) } : {},
    );
  } catch (error) {
    if (!(error instanceof InvalidStoryError)) throw error;
    say(`feedwright: cannot render the site: ${error.message}`);
    return EXIT.refused;
  }
  const outDir = resolve(options.outDir);
  writeSiteTree(outDir, site);
  let search: SiteObject[];
  try {
    search = await searching;
  } catch (error) {
    if (!(error instanceof SearchIndexError)) throw error;
    // The pages are written; the folder keeps the search index of its previous build, if any.
    say(`feedwright: cannot build the search index (the pages are written): ${error.message}`);
    return EXIT.failed;
  }
  writeSiteTree(outDir, search);
  // The index's file names follow its content: those of an earlier build into this folder are stale.
  await removeStaleFiles(outDir, SEARCH_INDEX_PREFIX, new Set(search.map((file) => file.path)));
  const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
  say(
    `built ${plural(site.length + search.length, 'file')} from ${plural(digests.length, 'digest')} (${rejected} rejected) into ${outDir}`,
  );
  return rejected > 0 ? EXIT.refused : EXIT.ok;
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
    return build(await parseOptions(argv));
  },
};
