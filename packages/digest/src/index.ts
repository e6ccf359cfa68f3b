/**
 * The digest parser: the plain-text daily newsletter an editor uploads → the {@link Digest} model
 * of stories. Pure, no I/O: callers read the bytes and hand them to {@link decodeDigest}, then the
 * text to {@link parseDigest}.
 *
 * @packageDocumentation
 */
export {
  type AcceptOptions,
  acceptDigest,
  acceptDigestText,
  assertRenderable,
  instantOf,
  STORY_LIMITS,
} from './accept.ts';
export { isFooterStart, labelTopic } from './classify.ts';
export { parseDateLine } from './date-line.ts';
export { DEFAULT_MAX_DIGEST_BYTES, type DecodeOptions, decodeDigest, tooLargeError } from './decode.ts';
export { DigestError, type DigestErrorCode, InvalidStoryError } from './errors.ts';
export { formatInstant } from './format-time.ts';
export { compareHolders, holderName, type StoryHolder } from './holders.ts';
export { isListItem, type ListMarker, listMarker } from './list.ts';
export type { Digest, ParseOptions, Story } from './model.ts';
export { parseDigest } from './parse.ts';
export { remembered } from './remembered.ts';
export { ALL_TOPICS_SLUG, slugify, storyIdFor, topicSlugFor } from './slug.ts';
export { resolveTimeZone } from './time-zone.ts';
