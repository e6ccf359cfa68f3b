/**
 * The response headers the site is served with. CloudFront's response headers policies are built
 * from these constants, and the local stack's site server sends them from the same constants, so
 * the two cannot drift.
 */

import { SEARCH_INDEX_PREFIX, SEARCH_PAGE_PATH } from './search.ts';

/**
 * The pages are static HTML with one inline `<style>`: no scripts, frames or third-party anything; the
 * one form is the search box, a GET to the site's own search page. Everything not named here is refused,
 * so hostile digest text could not run even if an escaping bug let it through. Every page also carries
 * its own, stricter meta CSP (the style by hash); browsers enforce both, so this header is the floor for
 * every object, feeds and OPML included.
 */
export const SITE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // No script can run under this policy, so nothing on the page can connect anywhere; what this allows
  // is a tool's fetch from the page's frame of the site's own files (Lighthouse reads robots.txt so).
  "connect-src 'self'",
  "img-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The policy of the search page and of the search index's files, and only of those: Pagefind's script and
 * the page's own from the site ('self'), Pagefind compiling its WebAssembly ('wasm-unsafe-eval', which
 * allows no `eval` of JavaScript), its worker (`pagefind/pagefind-worker.js`, which takes this policy from
 * its own response) and its fetches of the index, all from the site itself.
 */
export const SEARCH_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The paths served with {@link SEARCH_CONTENT_SECURITY_POLICY}, as CloudFront path patterns (a cache
 * behaviour each); everything else gets {@link SITE_CONTENT_SECURITY_POLICY}.
 */
export const SEARCH_POLICY_PATH_PATTERNS = [SEARCH_PAGE_PATH, `${SEARCH_INDEX_PREFIX}*`] as const;

/** The Content-Security-Policy of the object `key`: the search policy on the search paths, else the site's. */
export function contentSecurityPolicyFor(key: string): string {
  return SEARCH_POLICY_PATH_PATTERNS.some((pattern) =>
    pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : key === pattern,
  )
    ? SEARCH_CONTENT_SECURITY_POLICY
    : SITE_CONTENT_SECURITY_POLICY;
}

/** The security headers on every response (the search paths: with {@link SEARCH_CONTENT_SECURITY_POLICY}). */
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
 * The headers CloudFront adds to a GET or HEAD of the object `key`: the security headers (the CSP by
 * {@link contentSecurityPolicyFor}), and on
 * feeds, for a request carrying `Origin`, the CORS headers (CloudFront sends CORS headers only to
 * CORS requests).
 */
export function responseHeadersFor(
  key: string,
  request: { readonly origin?: string; readonly https: boolean },
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicyFor(key),
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
