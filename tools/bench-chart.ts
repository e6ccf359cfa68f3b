/**
 * `npm run bench:chart`: draws the benchmark's history (bench/history.jsonl, one line per
 * `npm run bench`) as docs/performance.svg, which docs/performance.md shows.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { historyChart } from '../bench/chart.ts';
import { readHistory } from '../bench/history.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const history = readHistory(`${ROOT}bench/history.jsonl`);
writeFileSync(`${ROOT}docs/performance.svg`, historyChart(history));
process.stdout.write(`docs/performance.svg: ${history.length} runs\n`);
