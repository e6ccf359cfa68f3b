import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  compareHolders,
  type Digest,
  DigestError,
  decodeDigest,
  holderName,
  parseDigest,
  type Story,
  type StoryHolder,
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

/** A parsed digest and its name (its file name; its key on S3), which breaks ties between holders. */
export interface NamedDigest {
  readonly name: string;
  readonly digest: Digest;
}

/**
 * The stories of several digests, one per storyId. When digests share a storyId, the text comes from
 * the holder that `compareHolders` puts first (newest date line, then the name that sorts first): the
 * same rule the pipeline's story store applies, so the argument order never decides.
 */
export function mergeStories(digests: readonly NamedDigest[]): Story[] {
  const winners = new Map<string, { story: Story; holder: StoryHolder; path: string }>();
  for (const { name: path, digest } of digests) {
    const holder: StoryHolder = { digestAt: digest.publishedAt, name: holderName(basename(path)) };
    for (const story of digest.stories) {
      const current = winners.get(story.storyId);
      const order = current === undefined ? -1 : compareHolders(holder, current.holder);
      // Two files of one name in different folders: the full path decides, never the argument order.
      if (order < 0 || (order === 0 && current !== undefined && path < current.path)) {
        winners.set(story.storyId, { story, holder, path });
      }
    }
  }
  return [...winners.values()].map((winner) => winner.story);
}
