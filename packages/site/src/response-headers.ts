/**
 * The response headers the site is served with. CloudFront's response headers policies are built
 * from these constants, and the local stack's site server sends them from the same constants, so
 * the two cannot drift.
 */

/**
 * The pages are static HTML with one inline `<style>`: no scripts, frames, forms or third-party
 * anything. Everything not named here is refused, so hostile digest text could not run even if an
 * escaping bug let it through. Every page also carries its own, stricter meta CSP (the style by hash);
 * browsers enforce both, so this header is the floor for every object, feeds and OPML included.
 */
export const SITE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "img-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The security headers on every response. */
export const SECURITY_HEADERS = {
  contentSecurityPolicy: SITE_CONTENT_SECURITY_POLICY,
  /** `X-Content-Type-Options`. */
  contentTypeOptions: 'nosniff',
  /** `X-Frame-Options`. */
  frameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  /** `Strict-Transport-Security` (HTTPS only: the local server, plain HTTP, leaves it out). */
  strictTransportSecurity: { maxAgeSeconds: 730 * 86_400, includeSubdomains: true },
} as const;

/**
 * CORS on every feed (`feeds/…`, RSS, Atom and JSON Feed of every topic): feeds are public by design
 * and browser-based readers fetch them cross-origin; no credentials are ever involved, so a wildcard
 * origin exposes nothing.
 */
export const FEEDS_CORS = {
  /** Object keys under this prefix get CORS headers. */
  keyPrefix: 'feeds/',
  allowOrigins: ['*'],
  allowMethods: ['GET', 'HEAD', 'OPTIONS'],
  allowHeaders: ['*'],
  exposeHeaders: ['ETag', 'Last-Modified'],
  maxAgeSeconds: 86_400,
} as const;

/**
 * The headers CloudFront adds to a GET or HEAD of the object `key`: the security headers, and on
 * feeds, for a request carrying `Origin`, the CORS headers (CloudFront sends CORS headers only to
 * CORS requests).
 */
export function responseHeadersFor(
  key: string,
  request: { readonly origin?: string; readonly https: boolean },
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': SECURITY_HEADERS.contentSecurityPolicy,
    'X-Content-Type-Options': SECURITY_HEADERS.contentTypeOptions,
    'X-Frame-Options': SECURITY_HEADERS.frameOptions,
    'Referrer-Policy': SECURITY_HEADERS.referrerPolicy,
  };
  if (request.https) {
    const { maxAgeSeconds, includeSubdomains } = SECURITY_HEADERS.strictTransportSecurity;
    headers['Strict-Transport-Security'] =
      `max-age=${maxAgeSeconds}${includeSubdomains ? '; includeSubDomains' : ''}`;
  }
  if (request.origin !== undefined && key.startsWith(FEEDS_CORS.keyPrefix)) {
    headers['Access-Control-Allow-Origin'] = FEEDS_CORS.allowOrigins.join(', ');
    headers['Access-Control-Expose-Headers'] = FEEDS_CORS.exposeHeaders.join(', ');
  }
  return headers;
}
