import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import {
  encodePath,
  isSubscriptionFeedPath,
  responseHeadersFor,
  type SiteConfig,
  websubLinkHeader,
} from '@feedwright/site';
import { closeServer } from './close-server.ts';
import { isNotModified, weakEntityTag } from './conditional-get.ts';
import { acceptsGzip, isCompressible } from './content-encoding.ts';

/** Options of the CloudFront stand-in. */
export interface SiteServerOptions {
  /** Reads the site bucket, like CloudFront's origin access. */
  readonly s3: S3Client;
  readonly bucket: string;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Called on origin failures, which are answered 502 as CloudFront would. */
  readonly onError?: (error: unknown, path: string) => void;
  /**
   * The site's configuration, read per request (the local stack resolves it once the server's own
   * URL is known): with a hub, subscription feeds are answered with `Link: <hub>; rel="hub",
   * <self>; rel="self"` as the CloudFront distribution does, the self link under its base URL.
   * @default none - no Link header
   */
  readonly site?: () => Pick<SiteConfig, 'baseUrl' | 'hubUrl'> | undefined;
}

/** A running site server. */
export interface SiteServer {
  /** `http://host:port/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server that stands in for CloudFront in front of the site bucket: `GET`/`HEAD`
 * of objects with their stored Content-Type and Cache-Control, ETag and Last-Modified, 304 on
 * `If-None-Match` / `If-Modified-Since`, gzip for text types, and
 * the security headers and feed CORS of CloudFront's response headers policies (`@feedwright/site`'s
 * `responseHeadersFor`). `/` serves `index.html`; nothing else is rewritten.
 */
export async function startSiteServer(options: SiteServerOptions): Promise<SiteServer> {
  const host = options.host ?? '127.0.0.1';
  const gzipCache = new CompressedBodyCache(GZIP_CACHE_ENTRIES);
  const linkOf = (key: string): string | undefined => {
    const site = options.site?.();
    return site?.hubUrl == null || !isSubscriptionFeedPath(key)
      ? undefined
      : websubLinkHeader(site.hubUrl, `${site.baseUrl}${encodePath(key)}`);
  };
  const server = createServer((request, response) => {
    handle(request, response, options, gzipCache, linkOf).catch((error: unknown) => {
      options.onError?.(error, request.url ?? '');
      if (!response.headersSent) sendError(response, 502, 'Bad gateway', request.method === 'HEAD');
      else response.destroy();
    });
  });
  // Browsers keep connections open; close() must not wait for them.
  server.keepAliveTimeout = 2_000;
  await listen(server, options.port, host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () => closeServer(server),
  };
}

/**
 * Maps a request path to an object key, or undefined when it can't name one: `/` is the index,
 * percent-escapes are decoded, and `.`/`..` segments, backslashes and control characters are
 * refused so that no path reaches outside the bucket (s3rver keeps objects as files).
 */
export function objectKeyForPath(rawUrl: string): string | undefined {
  const pathname = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!pathname.startsWith('/')) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded === '/') return INDEX_KEY;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\u0000-\u001f\u007f]/.test(decoded)) return undefined;
  const segments = decoded.slice(1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return undefined;
  if (segments.some((segment, index) => segment === '' && index < segments.length - 1)) return undefined;
  const key = segments.join('/');
  return key === '' || key.endsWith('/') ? undefined : key;
}

const INDEX_KEY = 'index.html';
const CONSISTENT_READ_ATTEMPTS = 50;
const CONSISTENT_READ_PAUSE_MS = 10;
const BODY_STALL_MS = 250;
const GZIP_CACHE_ENTRIES = 128;
const gzipAsync = promisify(gzip);

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: SiteServerOptions,
  gzipCache: CompressedBodyCache,
  linkOf: (key: string) => string | undefined,
): Promise<void> {
  const key = objectKeyForPath(request.url ?? '/');
  // The headers of CloudFront's response headers policies, from the same constants (no HSTS: plain http).
  const policyHeaders = responseHeadersFor(key ?? '', { origin: header(request, 'origin'), https: false });
  for (const [name, value] of Object.entries(policyHeaders)) response.setHeader(name, value);
  const method = request.method ?? 'GET';
  const isHead = method === 'HEAD';
  if (method !== 'GET' && !isHead) {
    response.setHeader('Allow', 'GET, HEAD');
    sendError(response, 405, 'Method not allowed', false);
    return;
  }
  if (key === undefined) {
    sendError(response, 404, 'Not found', isHead);
    return;
  }
  const found = await readWholeObject(options.s3, options.bucket, key);
  if (found === undefined) {
    sendError(response, 404, 'Not found', isHead);
    return;
  }
  const { object, body } = found;
  const contentType = object.ContentType ?? 'application/octet-stream';
  const compressible = object.ContentEncoding === undefined && isCompressible(contentType, body.length);
  const compress = compressible && acceptsGzip(header(request, 'accept-encoding'));
  const etag = object.ETag === undefined ? undefined : compress ? weakEntityTag(object.ETag) : object.ETag;

  if (object.CacheControl !== undefined) response.setHeader('Cache-Control', object.CacheControl);
  if (etag !== undefined) response.setHeader('ETag', etag);
  if (object.LastModified !== undefined)
    response.setHeader('Last-Modified', object.LastModified.toUTCString());
  if (compressible) response.setHeader('Vary', 'Accept-Encoding');
  const link = linkOf(key);
  if (link !== undefined) response.setHeader('Link', link);

  const notModified = isNotModified(
    { ifNoneMatch: header(request, 'if-none-match'), ifModifiedSince: header(request, 'if-modified-since') },
    { etag, lastModified: object.LastModified },
  );
  if (notModified) {
    response.writeHead(304);
    response.end();
    return;
  }

  const payload = compress ? await gzipCache.get(`${key}\n${object.ETag ?? ''}`, body) : body;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', payload.length);
  if (compress) response.setHeader('Content-Encoding', 'gzip');
  else if (object.ContentEncoding !== undefined)
    response.setHeader('Content-Encoding', object.ContentEncoding);
  for (const [name, value] of [
    ['Content-Language', object.ContentLanguage],
    ['Content-Disposition', object.ContentDisposition],
  ] as const) {
    if (value !== undefined) response.setHeader(name, value);
  }
  response.writeHead(200);
  response.end(isHead ? undefined : payload);
}

/** The stored bytes of an object never matched its ETag: a file cut short, answered 502, never 200. */
class TornObjectError extends Error {
  override readonly name = 'TornObjectError';
}

/**
 * Reads an object and its bytes as one consistent version. S3 replaces objects atomically, but
 * s3rver writes the new bytes over the old file and its MD5 afterwards, so a read racing the
 * render function's write can see half a feed: the bytes are checked against the ETag (the MD5
 * of a single-part upload) and read again until they agree. Bytes that never agree (a file a hard
 * stop cut short, until the next start's repair) are an error, never an answer.
 */
async function readWholeObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ object: GetObjectCommandOutput; body: Buffer } | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    let read: { object: GetObjectCommandOutput; body: Buffer } | undefined;
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      read = { object, body: await readBody(object.Body) };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      // A file shrinking under s3rver's read ends the body early, or its half-written metadata
      // fails to parse: both are the same race, and pass.
      if (attempt >= CONSISTENT_READ_ATTEMPTS) throw error;
    }
    if (read !== undefined) {
      if (isWholeObject(read.body, read.object.ETag)) return read;
      if (attempt >= CONSISTENT_READ_ATTEMPTS) {
        throw new TornObjectError(
          `${bucket}/${key}: its ${read.body.length} stored bytes do not match its ETag ` +
            `${read.object.ETag ?? '(none)'}; the object file was cut short (a restart of the stack repairs it)`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, CONSISTENT_READ_PAUSE_MS));
  }
}

/**
 * Reads a response body, giving up when it stalls: s3rver announces a file's length, then streams
 * it, so a file truncated by a concurrent write leaves the client waiting for bytes that never
 * come until the socket times out (seconds). A stalled read fails fast and is retried.
 */
function readBody(body: unknown): Promise<Buffer> {
  if (body === undefined) return Promise.resolve(Buffer.alloc(0));
  if (!(body instanceof Readable)) return Promise.reject(new TypeError('expected a Node.js stream body'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const watchdog = setTimeout(() => body.destroy(new Error('the body stalled')), BODY_STALL_MS);
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      watchdog.refresh();
    });
    body.once('end', () => {
      clearTimeout(watchdog);
      resolve(Buffer.concat(chunks));
    });
    body.once('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
  });
}

/**
 * Whether the bytes are those the ETag names. A multipart ETag (`"…-N"`) is no MD5 of the bytes
 * and passes; anything else that is not an MD5 (s3rver reads an empty one while rewriting its
 * `.md5` file) does not.
 */
export function isWholeObject(body: Buffer, etag: string | undefined): boolean {
  if (/^"[0-9a-f]{32}-\d+"$/i.test(etag ?? '')) return true;
  const md5 = /^"([0-9a-f]{32})"$/i.exec(etag ?? '')?.[1];
  return md5 !== undefined && createHash('md5').update(body).digest('hex') === md5.toLowerCase();
}

function isMissingObject(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sendError(response: ServerResponse, status: number, title: string, isHead: boolean): void {
  const page = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${status} ${title}</title></head><body><h1>${status} ${title}</h1></body></html>\n`;
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(page),
    'Cache-Control': 'no-store',
  });
  response.end(isHead ? undefined : page);
}

/** Keeps the gzip of recently served bodies, keyed by path and ETag, so polling readers cost nothing. */
class CompressedBodyCache {
  readonly #entries = new Map<string, Promise<Buffer>>();

  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(cacheKey: string, body: Buffer): Promise<Buffer> {
    const cached = this.#entries.get(cacheKey);
    if (cached !== undefined) {
      // Re-insert so the map's insertion order doubles as recency order.
      this.#entries.delete(cacheKey);
      this.#entries.set(cacheKey, cached);
      return cached;
    }
    const compressed = gzipAsync(body);
    this.#entries.set(cacheKey, compressed);
    compressed.catch(() => this.#entries.delete(cacheKey));
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#capacity) break;
      this.#entries.delete(oldest);
    }
    return compressed;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
