/**
 * Whether the client accepts a gzip body (RFC 9110, section 12.5.3): `gzip` (or its alias
 * `x-gzip`) with a non-zero quality, or `*` with a non-zero quality when gzip is not refused.
 */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  let wildcard: number | undefined;
  for (const part of acceptEncoding.split(',')) {
    const [rawCoding = '', ...params] = part.split(';');
    const coding = rawCoding.trim().toLowerCase();
    const quality = qualityOf(params);
    if (coding === 'gzip' || coding === 'x-gzip') return quality > 0;
    if (coding === '*') wildcard = quality;
  }
  return wildcard !== undefined && wildcard > 0;
}

/**
 * Whether CloudFront would compress a body of this type and size: text types, XML and JSON
 * (including `+xml` / `+json` such as feeds), JavaScript and SVG, from 1,000 bytes to 10 MB —
 * CloudFront leaves anything smaller or larger as it is.
 */
export function isCompressible(contentType: string | undefined, size: number): boolean {
  if (contentType === undefined || size < MIN_COMPRESSED_BYTES || size > MAX_COMPRESSED_BYTES) return false;
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    mediaType.startsWith('text/') ||
    mediaType.endsWith('+xml') ||
    mediaType.endsWith('+json') ||
    COMPRESSIBLE_APPLICATION_TYPES.has(mediaType)
  );
}

const MIN_COMPRESSED_BYTES = 1_000;
const MAX_COMPRESSED_BYTES = 10_000_000;
const COMPRESSIBLE_APPLICATION_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/x-javascript',
  'application/xhtml+xml',
  'image/svg+xml',
]);

function qualityOf(params: readonly string[]): number {
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'q') {
      const quality = Number.parseFloat(value.trim());
      return Number.isNaN(quality) ? 1 : quality;
    }
  }
  return 1;
}
