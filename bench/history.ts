import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

/**
 * The benchmark's history: every `npm run bench` appends one line of JSON (when, which commit, which
 * machine, every figure) to `bench/history.jsonl`, kept in the repository; `npm run bench:chart`
 * draws it (docs/performance.svg). Runs with `--no-history` are left out (a trial, a partial run).
 */

/** One run: the figures as `npm run bench -- --json` prints them, and where they were taken. */
export interface HistoryEntry {
  readonly date: string;
  readonly commit: string;
  readonly figures: Readonly<Record<string, unknown>>;
}

/** The commit the run measured, with `+` when the work tree had changes. */
function currentCommit(root: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return dirty === '' ? head : `${head}+`;
  } catch {
    return 'unknown';
  }
}

/** Appends one run to the history file. */
export function appendHistory(root: string, file: string, figures: Readonly<Record<string, unknown>>): void {
  const entry: HistoryEntry = { date: new Date().toISOString(), commit: currentCommit(root), figures };
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Every run of the history file, oldest first; a line that is not an entry is an error naming it. */
export function readHistory(file: string): HistoryEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const entry = JSON.parse(line) as Partial<HistoryEntry>;
      if (typeof entry.date !== 'string' || typeof entry.figures !== 'object' || entry.figures === null) {
        throw new Error(`${file}:${index + 1}: not a bench run (date, commit, figures)`);
      }
      return { date: entry.date, commit: entry.commit ?? 'unknown', figures: entry.figures };
    });
}
