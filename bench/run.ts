/**
 * `npm run bench [-- --json]`: what readers and editors feel and what AWS bills, in one run.
 * Targets are printed beside each figure; they are goals, never assertions in tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleHandler, coldInitMs, emptyModule, HANDLERS } from './bundles.ts';
import { appendHistory } from './history.ts';
import { round, whenProcessIdle } from './measure.ts';

// The handlers' own logs and metric lines would drown the table; the local stack is quiet too.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const progress = (line: string) => {
  if (!json) process.stderr.write(`${line}\n`);
};

/**
 * `npm run bench -- --render-500k`: render with 1k and with 500k stories stored, without and with the
 * archive, and the ratios (target ≤ ×1.2). Not in the default run: filling dynalite with 500k stories
 * takes minutes. Nothing is added to the history.
 */
async function render500k(): Promise<void> {
  const { renderScaling } = await import('./render.ts');
  const sizes = [1_000, 500_000];
  const rows: string[] = [];
  for (const archive of [false, true]) {
    progress(`render${archive ? ' with the archive' : ''}, 1k and 500k stories stored…`);
    const started = performance.now();
    const result = await renderScaling(sizes, 11, { archive });
    const small = result.stored_1k ?? Number.NaN;
    const large = result.stored_500k ?? Number.NaN;
    const ratio = large / small;
    const cpuSmall = result.cpu_stored_1k ?? Number.NaN;
    const cpuLarge = result.cpu_stored_500k ?? Number.NaN;
    const label = archive ? 'render + archive' : 'render';
    rows.push(
      `${`${label}, 1k stored`.padEnd(30)}${round(small)} ms`,
      `${`${label}, 500k stored`.padEnd(30)}${round(large)} ms (×${round(ratio, 2)})  ≤ ×1.2  ${ratio <= 1.2 ? 'met' : 'MISSED'}`,
      // The process's CPU time moves less than wall-clock time with the load of a shared machine.
      `${''.padEnd(30)}CPU ${round(cpuSmall)} → ${round(cpuLarge)} ms (×${round(cpuLarge / cpuSmall, 2)}); ` +
        `${round((performance.now() - started) / 1000)} s with the fill`,
    );
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

/**
 * `npm run bench -- --peak N [--minutes M]`: a peak of N digests a minute for M minutes (default 1)
 * replayed against the local stack (see `bench/peak.ts`); prints how the stack kept up and the write units
 * each partition takes, with the rate at which the hottest would reach DynamoDB's per-partition ceiling.
 * Not in the default run; nothing is added to the history.
 */
async function peak(perMinute: number, minutes: number): Promise<void> {
  const { loadCorpus } = await import('./parse.ts');
  const { PARTITION_WCU_PER_S, replayPeak } = await import('./peak.ts');
  progress(`peak: ${perMinute} digests a minute for ${minutes} min against the local stack…`);
  const result = await replayPeak(await loadCorpus(root), perMinute, minutes);
  const ceiling = (perMinute * PARTITION_WCU_PER_S) / result.hottest.wcuPerS;
  const rows = [
    ['digests', `${result.digests} at ${perMinute}/min`],
    ['all live (and searchable) after', `${round(result.seconds)} s`],
    ['upload → live p50 / p95', `${round(result.live.p50)} / ${round(result.live.p95)} ms`],
    ['hottest partition', `${result.hottest.partition}: ${result.hottest.wcuPerS} WCU in its busiest second`],
    [
      `at ${PARTITION_WCU_PER_S} WCU/s a partition`,
      `it would throttle at ~${Math.round(ceiling).toLocaleString('en')} digests a minute`,
    ],
    ['site writes, busiest second', `${result.siteWritesPerS} (S3: 3,500 a second a prefix)`],
    ...Object.entries(result.wcuPerDigest).map(([kind, wcu]) => [
      `WCU a digest, ${kind}`,
      `${round(wcu, 2)}`,
    ]),
  ];
  process.stdout.write(
    json
      ? `${JSON.stringify({ ...result, throttle_per_minute: Math.round(ceiling) })}\n`
      : `${rows.map(([label, value]) => `${(label ?? '').padEnd(34)}${value}`).join('\n')}\n`,
  );
}

/** The number after `flag` on the command line, or `fallback`. */
function numberAfter(flag: string, fallback: number): number {
  const at = process.argv.indexOf(flag);
  const value = at < 0 ? Number.NaN : Number(process.argv[at + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  if (process.argv.includes('--render-500k')) return render500k();
  if (process.argv.includes('--peak')) return peak(numberAfter('--peak', 600), numberAfter('--minutes', 1));
  const started = performance.now();
  const work = await mkdtemp(path.join(tmpdir(), 'feedwright-bench-'));
  try {
    // Imported late so the environment above is in place before any handler module loads.
    // The parser is timed first, before the SDK-heavy modules load and keep the JIT and GC busy.
    const { loadCorpus, parseThroughput } = await import('./parse.ts');
    progress('parse throughput…');
    const corpus = await loadCorpus(root);
    const parse = parseThroughput(corpus);
    const { renderScaling } = await import('./render.ts');
    const { uploadToFeed } = await import('./upload.ts');

    progress('bundles and cold init…');
    const bundleKb: Record<string, number> = {};
    const bundleTotalKb: Record<string, number> = {};
    const coldInit: Record<string, number> = {};
    for (const name of HANDLERS) {
      const bundle = bundleHandler(root, name, path.join(work, 'bundles'));
      bundleKb[name] = round(bundle.initBytes / 1024);
      bundleTotalKb[name] = round(bundle.totalBytes / 1024);
      coldInit[name] = round(coldInitMs(bundle.entry));
    }
    coldInit.empty = round(coldInitMs(await emptyModule(work)));
    const perFunction = (figures: Record<string, number>) => ({
      ingest: figures.ingest ?? Number.NaN,
      render: figures.render ?? Number.NaN,
      reconcile: figures.reconcile ?? Number.NaN,
      search_index: figures['search-index'] ?? Number.NaN,
    });

    progress('render with 1k and 50k stories stored…');
    const render = await renderScaling([1_000, 50_000]);
    progress('render with the archive, 1k and 50k stories stored (20 a day)…');
    const renderArchive = await renderScaling([1_000, 50_000], 11, { archive: true });

    progress('upload → feed and → archive on the local stack (20 uploads)…');
    const upload = await uploadToFeed(corpus, 20);

    const { buildSeconds, peerRenderRatio, writeCorpusOverDays } = await import('./archive.ts');
    progress('feed@6 against feedwright, 50 items in three formats…');
    const peerRatio = peerRenderRatio(corpus);
    progress('feedwright build of 1,000 digests over 1,000 days…');
    const thousand = await writeCorpusOverDays(corpus, 1_000, work);
    // The builds run in processes of their own, on the same two cores as this one's leftovers.
    await whenProcessIdle();
    const build1k = await buildSeconds(root, thousand);
    const { searchIndexSeconds } = await import('./search.ts');
    progress('search index (Pagefind) of 1,000 digests…');
    const search1k = await searchIndexSeconds(corpus, 1_000);
    const { hugoBuildSeconds, hugoVersion } = await import('./peer-hugo.ts');
    progress('hugo: the same site from the same stories, and pagefind over its story pages…');
    const hugo1k =
      (await hugoVersion()) === undefined
        ? { hugo: Number.NaN, pagefind: Number.NaN, narrow: Number.NaN }
        : await whenProcessIdle().then(() => hugoBuildSeconds(thousand, work));
    const { backfillThousand } = await import('./backfill.ts');
    progress('backfill: 1,000 digests PUT by 8 clients until the site equals feedwright build…');
    // A failure (the site never equalling build) is reported, and the rest of the table still printed.
    const backfill1k = await backfillThousand(root, corpus, work).then(
      (backfill) => backfill.seconds,
      (error: unknown) => {
        process.stderr.write(`backfill_1k_s: ${error instanceof Error ? error.message : String(error)}\n`);
        return Number.NaN;
      },
    );

    const result = {
      parse_mb_per_s: round(parse.parse_mb_per_s),
      split_lines_mb_per_s: round(parse.split_lines_mb_per_s),
      parse_largest_mb_per_s: round(parse.parse_largest_mb_per_s),
      upload_to_feed_ms: { p50: round(upload.p50), p95: round(upload.p95) },
      upload_to_archive_ms: { p50: round(upload.archiveP50), p95: round(upload.archiveP95) },
      reconcile_unchanged: { ms: round(upload.reconcileMs), writes: upload.reconcileWrites },
      render_ms: {
        stored_1k: round(render.stored_1k ?? Number.NaN),
        stored_50k: round(render.stored_50k ?? Number.NaN),
      },
      render_archive_ms: {
        stored_1k: round(renderArchive.stored_1k ?? Number.NaN),
        stored_50k: round(renderArchive.stored_50k ?? Number.NaN),
      },
      build_1k_s: round(build1k),
      search_index_1k_s: round(search1k),
      hugo_build_1k_s: round(hugo1k.hugo),
      hugo_pagefind_1k_s: round(hugo1k.hugo + hugo1k.pagefind),
      build_vs_hugo: round((hugo1k.hugo + hugo1k.pagefind) / build1k, 2),
      hugo_pages_rss_1k_s: round(hugo1k.narrow),
      backfill_1k_s: round(backfill1k),
      peer_render_ratio: round(peerRatio, 2),
      bundle_kb: perFunction(bundleKb),
      bundle_total_kb: perFunction(bundleTotalKb),
      cold_init_ms: { ...perFunction(coldInit), empty: coldInit.empty },
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      total_s: round((performance.now() - started) / 1000),
    };
    // Every full run goes into the history that docs/performance.svg draws (npm run bench:chart).
    if (!process.argv.includes('--no-history'))
      appendHistory(root, path.join(root, 'bench', 'history.jsonl'), result);
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(table(result));
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

type PerFunction = { ingest: number; render: number; reconcile: number; search_index: number };

/** The functions as the table names them, with their key in the results. */
const FUNCTIONS = [
  ['ingest', 'ingest'],
  ['render', 'render'],
  ['reconcile', 'reconcile'],
  ['search-index', 'search_index'],
] as const;

type Result = {
  parse_mb_per_s: number;
  split_lines_mb_per_s: number;
  parse_largest_mb_per_s: number;
  upload_to_feed_ms: { p50: number; p95: number };
  /** Upload → the story on its topic's month page and its issue page (render writes the archive last). */
  upload_to_archive_ms: { p50: number; p95: number };
  reconcile_unchanged: { ms: number; writes: number };
  render_ms: { stored_1k: number; stored_50k: number };
  render_archive_ms: { stored_1k: number; stored_50k: number };
  build_1k_s: number;
  /** `buildSearchFiles` over the stories of 1,000 digests. */
  search_index_1k_s: number;
  /**
   * Hugo building the same site as `feedwright build` from the same 1,000 digests, without search
   * (`bench/peer-hugo.ts`). NaN (null in JSON) when Debian's `hugo` is not installed.
   */
  hugo_build_1k_s: number;
  /** Hugo's build and Pagefind's CLI over its story pages: the same site, searchable as ours is. */
  hugo_pagefind_1k_s: number;
  /** (Hugo + Pagefind) ÷ feedwright build, the same site from the same digests: ≥ 1 means not slower. */
  build_vs_hugo: number;
  /** Hugo building story pages and per-topic RSS only, for the record (no target). */
  hugo_pages_rss_1k_s: number;
  /** NaN (null in JSON) when the site bucket did not equal the build within the deadline. */
  backfill_1k_s: number;
  peer_render_ratio: number;
  /** What Lambda loads at init: the handler module and the chunks it imports statically. */
  bundle_kb: PerFunction;
  /** Every JavaScript file of the deployed asset, the chunks loaded with `import()` included. */
  bundle_total_kb: PerFunction;
  cold_init_ms: PerFunction & { empty: number };
  machine: { cpus: number; cpu: string; node: string };
  total_s: number;
};

function table(r: Result): string {
  const ratio = r.render_ms.stored_50k / r.render_ms.stored_1k;
  const archiveRatio = r.render_archive_ms.stored_50k / r.render_archive_ms.stored_1k;
  const rows: [string, string, string, boolean][] = [
    [
      'parse',
      `${r.parse_mb_per_s} MB/s (split lines: ${r.split_lines_mb_per_s} MB/s)`,
      '≥ 100 MB/s',
      r.parse_mb_per_s >= 100,
    ],
    ['parse, largest digest', `${r.parse_largest_mb_per_s} MB/s`, '', true],
    ['upload → feed p50', `${r.upload_to_feed_ms.p50} ms`, '≤ 300 ms', r.upload_to_feed_ms.p50 <= 300],
    ['upload → feed p95', `${r.upload_to_feed_ms.p95} ms`, '≤ 600 ms', r.upload_to_feed_ms.p95 <= 600],
    ['upload → archive p50', `${r.upload_to_archive_ms.p50} ms`, '', true],
    [
      'upload → archive p95',
      `${r.upload_to_archive_ms.p95} ms`,
      '≤ 1000 ms',
      r.upload_to_archive_ms.p95 <= 1000,
    ],
    [
      'reconcile, nothing differs',
      `${r.reconcile_unchanged.ms} ms, ${r.reconcile_unchanged.writes} writes (20 digests)`,
      '0 writes',
      r.reconcile_unchanged.writes === 0,
    ],
    ['render, 1k stored', `${r.render_ms.stored_1k} ms`, '', true],
    ['render, 50k stored', `${r.render_ms.stored_50k} ms (×${round(ratio, 2)})`, '≤ ×1.1', ratio <= 1.1],
    ['render + archive, 1k stored', `${r.render_archive_ms.stored_1k} ms`, '', true],
    [
      'render + archive, 50k stored',
      `${r.render_archive_ms.stored_50k} ms (×${round(archiveRatio, 2)})`,
      '≤ ×1.1',
      archiveRatio <= 1.1,
    ],
    ['build, 1k digests', `${r.build_1k_s} s`, '≤ 4 s', r.build_1k_s <= 4],
    ['search index, 1k digests', `${r.search_index_1k_s} s`, '≤ 10 s', r.search_index_1k_s <= 10],
    [
      'hugo + pagefind ÷ feedwright build',
      Number.isNaN(r.build_vs_hugo)
        ? 'hugo not installed (apt-get install hugo)'
        : `×${r.build_vs_hugo} (hugo + pagefind ${r.hugo_pagefind_1k_s} s, feedwright ${r.build_1k_s} s: the same site)`,
      '≥ ×1',
      r.build_vs_hugo >= 1,
    ],
    [
      'hugo, its parts',
      Number.isNaN(r.build_vs_hugo)
        ? ''
        : `hugo ${r.hugo_build_1k_s} s; pages and topic RSS only ${r.hugo_pages_rss_1k_s} s`,
      '',
      true,
    ],
    [
      'backfill, 1k digests',
      Number.isNaN(r.backfill_1k_s) ? 'site ≠ build (see stderr)' : `${r.backfill_1k_s} s`,
      '≤ 90 s',
      r.backfill_1k_s <= 90,
    ],
    ['feed@6 ÷ feedwright', `×${r.peer_render_ratio}`, '≥ ×1.5', r.peer_render_ratio >= 1.5],
    ...FUNCTIONS.map(([name, key]): [string, string, string, boolean] => [
      `bundle ${name}`,
      `${r.bundle_kb[key]} KB at init (${r.bundle_total_kb[key]} KB in all)`,
      '≤ 400 KB',
      r.bundle_kb[key] <= 400,
    ]),
    ...FUNCTIONS.map(([name, key]): [string, string, string, boolean] => [
      `cold init ${name}`,
      `${r.cold_init_ms[key]} ms`,
      `≤ ${round(r.cold_init_ms.empty + 60)} ms`,
      r.cold_init_ms[key] <= r.cold_init_ms.empty + 60,
    ]),
    ['cold init empty', `${r.cold_init_ms.empty} ms`, '', true],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => row[1].length));
  const w2 = Math.max(...rows.map((row) => row[2].length));
  const lines = rows.map(
    ([name, value, target, met]) =>
      `${name.padEnd(w0)}  ${value.padEnd(w1)}  ${target.padEnd(w2)}  ${target === '' ? '' : met ? 'met' : 'MISSED'}`,
  );
  return `${lines.join('\n')}\n\n${r.machine.cpus} × ${r.machine.cpu}, Node.js ${r.machine.node}; ${r.total_s} s in all\n`;
}

await main();
