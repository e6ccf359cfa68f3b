import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The part of `node:crypto` s3rver uses for its ListObjectsV2 continuation tokens. */
interface CipherFactory {
  createCipheriv: (algorithm: string, ...rest: unknown[]) => unknown;
  createDecipheriv: (algorithm: string, ...rest: unknown[]) => unknown;
}

/** A stand-in for a DES (de)cipher that leaves the bytes as they are. */
const passThrough = () => ({
  update: (data: string | Buffer, encoding?: BufferEncoding) =>
    typeof data === 'string' ? Buffer.from(data, encoding) : Buffer.from(data),
  final: () => Buffer.alloc(0),
});

/**
 * s3rver seals the continuation token of a truncated ListObjectsV2 page (more than 1,000 keys) with
 * single DES, which OpenSSL 3 (Node.js ≥ 17) ships only in its legacy provider: every such listing
 * fails with a 500 InternalError. Where DES is missing, `createCipheriv('des')` and
 * `createDecipheriv('des')` are made to pass the bytes through, so the token is s3rver's own
 * `region/bucket/key` text behind its 8-byte IV: opaque to clients, as S3's are. No other algorithm
 * is touched, and nothing else asks for DES (which, without this, cannot be used at all).
 */
export function allowS3rverContinuationTokens(): void {
  const crypto = require('node:crypto') as CipherFactory;
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return; // DES is there: s3rver works as it is.
  } catch {
    // Unsupported: stand in below.
  }
  const { createCipheriv, createDecipheriv } = crypto;
  crypto.createCipheriv = (algorithm, ...rest) =>
    algorithm === 'des' ? passThrough() : createCipheriv(algorithm, ...rest);
  crypto.createDecipheriv = (algorithm, ...rest) =>
    algorithm === 'des' ? passThrough() : createDecipheriv(algorithm, ...rest);
}
