/**
 * The one rule for a story that several digests hold (the same story id in two files or keys): its text
 * comes from the holding digest whose date line is newest; at equal instants, from the digest whose name
 * sorts first (UTF-16 code-unit order). A digest's name is its file name in `feedwright build` and its key
 * under `digests/` on S3, so `digests/a.txt` and `a.txt` are the same name. When the chosen digest lets go
 * of the story, the next one by the same rule gives the text.
 *
 * `feedwright build` and the pipeline's story store both decide with {@link compareHolders}.
 */

/** One digest holding a story: its date line's instant and its name. */
export interface StoryHolder {
  /** ISO 8601 instant of the digest's date line (`Digest.publishedAt`). */
  readonly digestAt: string;
  /** The digest's name: file name, or the S3 key without `digests/`. */
  readonly name: string;
}

/** The prefix under which digests live in the incoming bucket; not part of a digest's name. */
const DIGEST_KEY_PREFIX = 'digests/';

/** A digest's name from its S3 key (`digests/cx daily.txt` → `cx daily.txt`) or its file name. */
export function holderName(keyOrFileName: string): string {
  return keyOrFileName.startsWith(DIGEST_KEY_PREFIX)
    ? keyOrFileName.slice(DIGEST_KEY_PREFIX.length)
    : keyOrFileName;
}

/**
 * Negative when `a` gives the story's text rather than `b`, positive when `b` does, 0 for the same holder.
 * Sorting holders with it puts the one whose text is shown first.
 */
export function compareHolders(a: StoryHolder, b: StoryHolder): number {
  const at = Date.parse(b.digestAt) - Date.parse(a.digestAt);
  if (at !== 0 && !Number.isNaN(at)) return at;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
