import { open } from 'node:fs/promises';
import {
  type Digest,
  DigestError,
  decodeDigest,
  parseDigest,
  type Story,
  tooLargeError,
} from '@feedwright/digest';
import { describeFsError } from './inputs.ts';

export type DigestResult =
  | { readonly ok: true; readonly digest: Digest }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads and parses one digest file: its size is checked from the open file before any byte is read,
 * so an oversized file is refused without loading it. Never throws: every failure is a reason.
 */
export async function readDigestFile(
  path: string,
  options: { readonly maxBytes: number; readonly timezone: string },
): Promise<DigestResult> {
  let bytes: Uint8Array;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > options.maxBytes)
        return { ok: false, reason: tooLargeError(size, options.maxBytes).message };
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, reason: describeFsError(error) };
  }
  try {
    const text = decodeDigest(bytes, { maxBytes: options.maxBytes });
    return { ok: true, digest: parseDigest(text, { timezone: options.timezone }) };
  } catch (error) {
    if (error instanceof DigestError) return { ok: false, reason: error.message };
    return {
      ok: false,
      reason: `could not be parsed (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The stories of several digests, one per storyId. When two digests give the same storyId, the later
 * digest (by publishedAt) wins; at equal times the content decides, so the argument order never does.
 */
export function mergeStories(digests: readonly Digest[]): Story[] {
  const winners = new Map<string, { story: Story; digestAt: number; key: string }>();
  for (const digest of digests) {
    const digestAt = Date.parse(digest.publishedAt);
    for (const story of digest.stories) {
      const candidate = { story, digestAt, key: JSON.stringify(story) };
      const current = winners.get(story.storyId);
      if (
        current === undefined ||
        candidate.digestAt > current.digestAt ||
        (candidate.digestAt === current.digestAt && compare(candidate.key, current.key) > 0)
      ) {
        winners.set(story.storyId, candidate);
      }
    }
  }
  return [...winners.values()].map((winner) => winner.story);
}
