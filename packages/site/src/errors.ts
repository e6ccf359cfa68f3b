/**
 * A story the site cannot render safely: an id or topic slug that is not URL-safe (it becomes a path),
 * a publishedAt that is not an instant, or a topic slug clashing with the reserved 'all'.
 */
export class SiteInputError extends Error {
  override readonly name = 'SiteInputError';
}
