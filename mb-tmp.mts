import { loadCorpus } from './bench/parse.ts';
import { parseDigest, storyIdFor, topicSlugFor, slugify } from '@feedwright/digest';
import { scanLines } from './packages/digest/src/lines.ts';
const corpus = await loadCorpus('.');
const triples = corpus.flatMap((t) => { const d = parseDigest(t); return d.stories.map((s) => [d.date, s.topicSlug, s.title, s.topic] as const); });
const size = corpus.reduce((s, t) => s + Buffer.byteLength(t), 0);
function time(name: string, fn: () => void) {
  const warm = performance.now() + 500; while (performance.now() < warm) fn();
  let best = Infinity;
  for (let r = 0; r < 5; r++) { const c0 = process.cpuUsage(); const t0 = performance.now(); let n = 0; while (performance.now() - t0 < 300) { fn(); n++; } const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000 / n); }
  console.log(name.padEnd(12), (best * 1000).toFixed(1), 'µs per corpus (cpu)');
}
let sink = 0;
time('parse', () => { for (const t of corpus) sink += parseDigest(t).stories.length; });
time('scanLines', () => { for (const t of corpus) sink += scanLines(t).length; });
time('storyIdFor', () => { for (const [d, ts, t] of triples) sink += storyIdFor(d, ts, t).length; });
time('topicSlug', () => { for (const [, , , tp] of triples) sink += topicSlugFor(tp).length; });
time('slugify', () => { for (const [, , t] of triples) sink += slugify(t).length; });
console.log(triples.length, 'stories', size, 'bytes', sink > 0);
const ascii = triples.filter(([, ts, t]) => /^[a-z0-9-]+$/.test(storyIdFor('2020-01-01', ts, t).slice(11)) && !/[^\x00-\x7f\u00a0\u2000-\u206f]/.test(t + ts));
const other = triples.filter((x) => !ascii.includes(x));
time('id ascii', () => { for (const [d, ts, t] of ascii) sink += storyIdFor(d, ts, t).length; });
time('id other', () => { for (const [d, ts, t] of other) sink += storyIdFor(d, ts, t).length; });
console.log(ascii.length, other.length, other.map((x) => x[2]).slice(0, 40));
import { shortHash } from '@feedwright/digest';
const keys = other.map(([, ts, t]) => `${ts}\n${t.normalize('NFC').trim()}`);
time('sha256', () => { for (const k of keys) sink += shortHash(k).length; });
function fnv(text: string): string { let h = 0x811c9dc5; for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193); } return (h >>> 0).toString(16).padStart(8, '0'); }
time('fnv', () => { for (const k of keys) sink += fnv(k).length; });
time('nfc', () => { for (const [, , t] of other) sink += t.normalize('NFC').length; });
time('slugify o', () => { for (const [, , t] of other) sink += slugify(t).length; });
import { hash } from 'node:crypto';
time('crypto.hash', () => { for (const k of keys) sink += hash('sha256', k, 'hex').slice(0, 8).length; });
console.log(hash('sha256', keys[0]!, 'hex').slice(0, 8) === shortHash(keys[0]!));
