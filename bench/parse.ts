import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeDigest, parseDigest } from '@feedwright/digest';
import { throughputMbPerS } from './measure.ts';

/** Every sample and fixture digest, as text, the corpus the parser is timed on. */
export async function loadCorpus(root: string): Promise<string[]> {
  const texts: string[] = [];
  for (const dir of ['events/digests', 'tests/fixtures/digests']) {
    const names = (await readdir(path.join(root, dir))).filter((n) => n.endsWith('.txt')).sort();
    for (const name of names) texts.push(decodeDigest(await readFile(path.join(root, dir, name))));
  }
  return texts;
}

/**
 * Parser throughput against the floor of any line-based parser: splitting the same text into
 * lines. Both over the same corpus, sizes counted in UTF-8 bytes.
 */
export function parseThroughput(corpus: readonly string[]) {
  const bytes = corpus.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  let sink = 0;
  const parse = () => {
    for (const text of corpus) sink += parseDigest(text).stories.length;
  };
  const split = () => {
    for (const text of corpus) sink += text.split(/\r\n|\r|\n/).length;
  };
  // The largest digest alone: a full-size issue, where per-digest and per-story costs weigh less
  // per byte than in the short edge-case fixtures that make up most of the corpus.
  const largest = corpus.reduce((a, b) => (Buffer.byteLength(b) > Buffer.byteLength(a) ? b : a), '');
  const result = {
    parse_mb_per_s: throughputMbPerS(parse, bytes),
    split_lines_mb_per_s: throughputMbPerS(split, bytes),
    parse_largest_mb_per_s: throughputMbPerS(() => parseDigest(largest), Buffer.byteLength(largest)),
    corpus_bytes: bytes,
    largest_bytes: Buffer.byteLength(largest),
  };
  if (sink < 0) throw new Error('unreachable: keeps the work observable');
  return result;
}
