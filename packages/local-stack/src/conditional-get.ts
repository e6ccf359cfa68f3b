/** The validators of the object being served. */
export interface Validators {
  /** The entity tag as sent in `ETag`, quoted (`"abc"`) or weak (`W/"abc"`). */
  readonly etag?: string;
  readonly lastModified?: Date;
}

/** The conditional headers of a GET or HEAD request, as received. */
export interface ConditionalHeaders {
  readonly ifNoneMatch?: string;
  readonly ifModifiedSince?: string;
}

/**
 * Whether a GET or HEAD can be answered `304 Not Modified` (RFC 9110, section 13.2.2):
 * `If-None-Match` decides when present (weak comparison, `*` matches any current object) and
 * `If-Modified-Since` is then ignored; otherwise a valid `If-Modified-Since` at or after the
 * object's `Last-Modified` (HTTP dates have whole seconds) means not modified.
 */
export function isNotModified(request: ConditionalHeaders, object: Validators): boolean {
  if (request.ifNoneMatch !== undefined && request.ifNoneMatch.trim() !== '') {
    if (request.ifNoneMatch.trim() === '*') return true;
    if (object.etag === undefined) return false;
    const current = opaqueTag(object.etag);
    return parseEntityTags(request.ifNoneMatch).some((tag) => opaqueTag(tag) === current);
  }
  if (request.ifModifiedSince !== undefined && object.lastModified !== undefined) {
    const since = Date.parse(request.ifModifiedSince);
    if (Number.isNaN(since)) return false;
    return Math.floor(object.lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

/** The entity tags of an `If-None-Match` list; commas inside a quoted tag do not split it. */
export function parseEntityTags(header: string): string[] {
  return [...header.matchAll(/(?:W\/)?"[^"]*"/g)].map((match) => match[0]);
}

/** Turns a strong tag into the weak one sent with a compressed body, as CloudFront does. */
export function weakEntityTag(etag: string): string {
  return etag.startsWith('W/') ? etag : `W/${etag}`;
}

// Weak comparison: two tags match when their opaque parts do, whatever their W/ prefixes.
function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
