import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { historyChart, PANELS } from '../../../bench/chart.ts';
import { type HistoryEntry, readHistory } from '../../../bench/history.ts';
import { xmlWellFormednessProblems } from '../../support/validators.ts';

const run = (date: string, p50: number, build?: number): HistoryEntry => ({
  date,
  commit: 'abc1234567',
  figures: {
    upload_to_feed_ms: { p50, p95: p50 * 1.5 },
    ...(build === undefined ? {} : { build_1k_s: build }),
  },
});

describe('Function: historyChart', () => {
  it('draws one well-formed panel per figure, a point per run that has it, and the target', async () => {
    // Prepare
    const history = [
      run('2026-11-01T00:00:00Z', 480, 5.5),
      run('2026-11-02T00:00:00Z', 350),
      run('2026-11-03T00:00:00Z', 280, 3.9),
    ];

    // Act
    const svg = historyChart(history);

    // Assess
    expect(await xmlWellFormednessProblems([{ path: 'performance.svg', body: svg }])).toEqual([]);
    expect(svg.match(/<g class="panel">/g)).toHaveLength(PANELS.length);
    expect(svg.match(/class="target"/g)).toHaveLength(PANELS.length);
    const p50 = svg.split('<g class="panel">')[1] ?? '';
    expect(p50).toContain('upload → feed p50');
    expect(p50.match(/<circle /g)).toHaveLength(3);
    expect(p50).toContain('fill="#1a7f37">280 ms'); // the last run meets ≤ 300 ms
    const build = svg.split('<g class="panel">').find((panel) => panel.includes('>build, 1k digests<')) ?? '';
    expect(build).not.toBe('');
    expect(build.match(/<circle /g)).toHaveLength(2); // the run without the figure has no point
    expect(svg).toContain('3 runs, 2026-11-01 to 2026-11-03');
  });

  it('gives the same bytes for the same history, and says when a figure has no run', () => {
    // Act
    const once = historyChart([run('2026-11-01T00:00:00Z', 700)]);

    // Assess
    expect(historyChart([run('2026-11-01T00:00:00Z', 700)])).toBe(once);
    expect(once).toContain('no run');
    expect(once).toContain('fill="#cf222e">700 ms'); // missed: 700 > 300
  });
});

describe('Function: readHistory', () => {
  it('reads the runs in order and names the line that is not a run', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'feedwright-history-'));
    const good = path.join(dir, 'good.jsonl');
    const bad = path.join(dir, 'bad.jsonl');
    await writeFile(
      good,
      `${JSON.stringify(run('2026-11-01T00:00:00Z', 1))}\n\n${JSON.stringify(run('2026-11-02T00:00:00Z', 2))}\n`,
    );
    await writeFile(bad, `${JSON.stringify(run('2026-11-01T00:00:00Z', 1))}\n{"date": 5}\n`);

    // Act / Assess
    expect(readHistory(good).map((entry) => entry.date)).toEqual([
      '2026-11-01T00:00:00Z',
      '2026-11-02T00:00:00Z',
    ]);
    expect(() => readHistory(bad)).toThrow(/bad\.jsonl:2: not a bench run/);
  });

  it('reads the repository history, which docs/performance.svg draws', () => {
    // Act
    const history = readHistory(path.join(import.meta.dirname, '../../../bench/history.jsonl'));

    // Assess
    expect(history.length).toBeGreaterThan(0);
  });
});
