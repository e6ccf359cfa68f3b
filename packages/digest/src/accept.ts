import { type DecodeOptions, decodeDigest } from './decode.ts';
import { DigestError, InvalidStoryError } from './errors.ts';
import type { Digest, ParseOptions, Story } from './model.ts';
import { parseDigest } from './parse.ts';
import { remembered } from './remembered.ts';
import { ALL_TOPICS_SLUG } from './slug.ts';

/** Limits beyond the byte size, so that one digest always fits the table's item limits. */
export const STORY_LIMITS = {
  /** Stories per digest: the manifest lists their ids in one item (400 KB). A daily digest has ~10–40. */
  maxStories: 1000,
  /** UTF-8 bytes of one story's text: a DynamoDB item holds at most 400 KB, and stories share it with keys. */
  maxStoryBytes: 300 * 1024,
} as const;

/** Options of {@link acceptDigest}: those of `decodeDigest` and `parseDigest`. */
export type AcceptOptions = DecodeOptions & ParseOptions;

/**
 * The one acceptance path of a digest, shared by `feedwright parse`, `feedwright build` and ingest so
 * that all three accept and refuse exactly the same files with the same code and reason: the bytes
 * decoded, the text parsed, then the stories checked against {@link STORY_LIMITS} and
 * {@link assertRenderable}.
 *
 * @throws {DigestError} for every reason the bytes are not a digest that can be published.
 */
export function acceptDigest(bytes: Uint8Array, options: AcceptOptions = {}): Digest {
  return acceptDigestText(decodeDigest(bytes, options), options);
}

/**
 * The acceptance path from text on: parsed, then checked as {@link acceptDigest} checks it. For text
 * that did not come from a file's bytes, such as the text part of a mailed digest (`@feedwright/mail`).
 *
 * @throws {DigestError} for every reason the text is not a digest that can be published.
 */
export function acceptDigestText(text: string, options: ParseOptions = {}): Digest {
  const digest = parseDigest(text, options);
  assertPublishable(digest);
  return digest;
}

/**
 * Limits of the table that a digest could exceed, and stories the site could never render: refused as
 * bad input rather than failing the write, or stored and failing every render of the feeds after it.
 */
function assertPublishable(digest: Digest): void {
  if (digest.stories.length > STORY_LIMITS.maxStories) {
    throw new DigestError(
      'TOO_MANY_STORIES',
      `the digest has ${digest.stories.length} stories, more than the ${STORY_LIMITS.maxStories} one digest may have: split it`,
    );
  }
  for (const story of digest.stories) {
    try {
      assertRenderable(story);
    } catch (error) {
      if (!(error instanceof InvalidStoryError)) throw error;
      throw new DigestError(
        'UNRENDERABLE_STORY',
        `the story '${story.title.slice(0, 80)}' cannot be published: ${error.message}; report this digest as a parser bug`,
      );
    }
    const bytes = Buffer.byteLength(JSON.stringify(story), 'utf8');
    if (bytes > STORY_LIMITS.maxStoryBytes) {
      throw new DigestError(
        'STORY_TOO_LARGE',
        `the story '${story.title.slice(0, 80)}' is ${Math.ceil(bytes / 1024)} KiB, over the ` +
          `${STORY_LIMITS.maxStoryBytes / 1024} KiB one story may have: check for a missing section label`,
      );
    }
  }
}

// Ids and slugs become file names and URL path segments: letters (any script: slugs keep CJK), digits,
// '-' and '_' only, so no '/', '.', '%' or space can ever reach a path.
const URL_SAFE = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}_-]{0,199}$/u;

/** Throws an InvalidStoryError if a story's id or slug could not be used safely as a path segment. */
export function assertRenderable(story: Story): void {
  if (!URL_SAFE.test(story.storyId)) {
    throw new InvalidStoryError(
      `story id '${story.storyId}' is not URL-safe (letters, digits, '-' and '_' only, at most 200 characters)`,
    );
  }
  if (!URL_SAFE.test(story.topicSlug)) {
    throw new InvalidStoryError(`story '${story.storyId}': topic slug '${story.topicSlug}' is not URL-safe`);
  }
  if (story.topicSlug === ALL_TOPICS_SLUG) {
    throw new InvalidStoryError(
      `story '${story.storyId}': topic slug '${story.topicSlug}' is reserved for the all-stories feed`,
    );
  }
  instantOf(story.publishedAt, `story '${story.storyId}'`);
}

// An RFC 3339 date-time (the ISO 8601 profile the model promises). Date.parse alone also takes
// 'December 1, 2020' or '+010000-01-01T00:00:00Z', whose year no feed date format can carry.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
// RFC 822 and RFC 3339 dates have four-digit years, in UTC once rendered.
const EARLIEST = Date.parse('0000-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** Milliseconds since the epoch of an ISO 8601 instant, or an InvalidStoryError naming what was wrong. */
export function instantOf(iso: string, what: string): number {
  const ms = typeof iso === 'string' ? instantMs(iso) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new InvalidStoryError(`${what}: publishedAt '${iso}' is not an ISO 8601 instant`);
  if (ms < EARLIEST || ms > LATEST) {
    throw new InvalidStoryError(`${what}: publishedAt '${iso}' is outside the years 0000 to 9999 (in UTC)`);
  }
  return ms;
}

/** An RFC 3339 instant's milliseconds (NaN for any other text): each story's is read for every file that shows it. */
const instantMs = remembered((iso: string): number => (RFC3339.test(iso) ? Date.parse(iso) : Number.NaN));
