import type { HistoryEntry } from './history.ts';

/**
 * The benchmark's history as one SVG: a small panel per figure, one point per run (oldest on the left),
 * and the target as a dashed line. Plain SVG 1.1 text, no script and no library; the same history
 * gives the same bytes.
 */

/** A figure drawn from each run, its target, and which side of the target is good. */
export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly target: number;
  readonly better: 'lower' | 'higher';
  readonly value: (figures: Readonly<Record<string, unknown>>) => number | undefined;
}

const at = (figures: Readonly<Record<string, unknown>>, path: string): number | undefined => {
  let value: unknown = figures;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

const ratio = (
  figures: Readonly<Record<string, unknown>>,
  over: string,
  under: string,
): number | undefined => {
  const a = at(figures, over);
  const b = at(figures, under);
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
};

const overEmpty = (figures: Readonly<Record<string, unknown>>, name: string): number | undefined => {
  const a = at(figures, `cold_init_ms.${name}`);
  const empty = at(figures, 'cold_init_ms.empty');
  return a === undefined || empty === undefined ? undefined : a - empty;
};

/** The figures `npm run bench` has targets for, with those targets. */
export const PANELS: readonly Panel[] = [
  {
    title: 'upload → feed p50',
    unit: 'ms',
    target: 300,
    better: 'lower',
    value: (f) => at(f, 'upload_to_feed_ms.p50'),
  },
  {
    title: 'upload → feed p95',
    unit: 'ms',
    target: 600,
    better: 'lower',
    value: (f) => at(f, 'upload_to_feed_ms.p95'),
  },
  {
    title: 'upload → archive p95',
    unit: 'ms',
    target: 1000,
    better: 'lower',
    value: (f) => at(f, 'upload_to_archive_ms.p95'),
  },
  {
    title: 'render, 50k ÷ 1k stored',
    unit: '×',
    target: 1.1,
    better: 'lower',
    value: (f) => ratio(f, 'render_ms.stored_50k', 'render_ms.stored_1k'),
  },
  {
    title: 'render + archive, 50k ÷ 1k',
    unit: '×',
    target: 1.1,
    better: 'lower',
    value: (f) => ratio(f, 'render_archive_ms.stored_50k', 'render_archive_ms.stored_1k'),
  },
  { title: 'build, 1k digests', unit: 's', target: 4, better: 'lower', value: (f) => at(f, 'build_1k_s') },
  {
    title: 'hugo + pagefind ÷ our build',
    unit: '×',
    target: 1,
    better: 'higher',
    value: (f) => at(f, 'build_vs_hugo'),
  },
  {
    title: 'backfill, 1k digests',
    unit: 's',
    target: 90,
    better: 'lower',
    value: (f) => at(f, 'backfill_1k_s'),
  },
  { title: 'parse', unit: 'MB/s', target: 100, better: 'higher', value: (f) => at(f, 'parse_mb_per_s') },
  {
    title: 'bundle ingest',
    unit: 'KB',
    target: 400,
    better: 'lower',
    value: (f) => at(f, 'bundle_kb.ingest'),
  },
  {
    title: 'bundle render',
    unit: 'KB',
    target: 400,
    better: 'lower',
    value: (f) => at(f, 'bundle_kb.render'),
  },
  {
    title: 'bundle reconcile',
    unit: 'KB',
    target: 400,
    better: 'lower',
    value: (f) => at(f, 'bundle_kb.reconcile'),
  },
  {
    title: 'cold init ingest − empty',
    unit: 'ms',
    target: 60,
    better: 'lower',
    value: (f) => overEmpty(f, 'ingest'),
  },
  {
    title: 'cold init render − empty',
    unit: 'ms',
    target: 60,
    better: 'lower',
    value: (f) => overEmpty(f, 'render'),
  },
  {
    title: 'cold init reconcile − empty',
    unit: 'ms',
    target: 60,
    better: 'lower',
    value: (f) => overEmpty(f, 'reconcile'),
  },
];

const WIDTH = 280;
const HEIGHT = 150;
const COLUMNS = 3;
const PAD = { left: 44, right: 12, top: 26, bottom: 22 };

const xml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const num = (value: number): string => String(Math.round(value * 10) / 10);
const label = (value: number): string =>
  value >= 100 ? String(Math.round(value)) : String(Math.round(value * 100) / 100);

function panelSvg(panel: Panel, history: readonly HistoryEntry[], x0: number, y0: number): string {
  const values = history.map((entry) => panel.value(entry.figures));
  const known = values.filter((v): v is number => v !== undefined);
  const top = Math.max(panel.target, ...known) * 1.15;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const xOf = (i: number) =>
    x0 + PAD.left + (history.length <= 1 ? plotW / 2 : (i * plotW) / (history.length - 1));
  const yOf = (v: number) => y0 + PAD.top + plotH - (v / top) * plotH;
  const last = known.at(-1);
  const met =
    last === undefined ? undefined : panel.better === 'lower' ? last <= panel.target : last >= panel.target;
  const parts = [
    `<g class="panel">`,
    `<rect x="${x0 + 0.5}" y="${y0 + 0.5}" width="${WIDTH - 1}" height="${HEIGHT - 1}" fill="#fff" stroke="#ccc"/>`,
    `<text x="${x0 + 8}" y="${y0 + 17}" font-weight="bold">${xml(panel.title)}</text>`,
    `<text x="${x0 + WIDTH - 8}" y="${y0 + 17}" text-anchor="end" fill="${met === undefined ? '#666' : met ? '#1a7f37' : '#cf222e'}">${
      last === undefined ? 'no run' : `${label(last)} ${xml(panel.unit)}`
    }</text>`,
    `<line x1="${x0 + PAD.left}" x2="${x0 + WIDTH - PAD.right}" y1="${num(yOf(0))}" y2="${num(yOf(0))}" stroke="#999"/>`,
    `<text x="${x0 + PAD.left - 4}" y="${num(yOf(0) + 4)}" text-anchor="end" fill="#666">0</text>`,
    `<line class="target" x1="${x0 + PAD.left}" x2="${x0 + WIDTH - PAD.right}" y1="${num(yOf(panel.target))}" y2="${num(yOf(panel.target))}" stroke="#cf222e" stroke-dasharray="4 3"/>`,
    `<text x="${x0 + PAD.left - 4}" y="${num(yOf(panel.target) + 4)}" text-anchor="end" fill="#cf222e">${label(panel.target)}</text>`,
  ];
  const points = values.flatMap((v, i) => (v === undefined ? [] : [`${num(xOf(i))},${num(yOf(v))}`]));
  if (points.length > 1) {
    parts.push(
      `<polyline class="runs" points="${points.join(' ')}" fill="none" stroke="#0969da" stroke-width="1.5"/>`,
    );
  }
  for (const point of points) {
    const [x, y] = point.split(',');
    parts.push(`<circle cx="${x}" cy="${y}" r="2.5" fill="#0969da"/>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** The SVG of `history` (oldest first), one panel per entry of `panels`. */
export function historyChart(history: readonly HistoryEntry[], panels: readonly Panel[] = PANELS): string {
  const rows = Math.ceil(panels.length / COLUMNS);
  const width = COLUMNS * WIDTH;
  const height = rows * HEIGHT + 30;
  const first = history[0];
  const last = history.at(-1);
  const span =
    first === undefined || last === undefined
      ? 'no runs yet'
      : `${history.length} run${history.length === 1 ? '' : 's'}, ${first.date.slice(0, 10)} to ${last.date.slice(0, 10)} (last: ${last.commit}); dashed: the target`;
  const body = panels.map((panel, i) =>
    panelSvg(panel, history, (i % COLUMNS) * WIDTH, Math.floor(i / COLUMNS) * HEIGHT),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>feedwright benchmark history</title>`,
    ...body,
    `<text x="8" y="${rows * HEIGHT + 20}" fill="#444">${xml(span)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
