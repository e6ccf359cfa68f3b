import { createRequire } from 'node:module';
import { dotSegmentOf, type KeyLimits } from '@feedwright/storage/schema';

const require = createRequire(import.meta.url);

/**
 * The keys the local S3 can hold. s3rver keeps an object as files named after the last part of its
 * key plus a suffix, the longest `._S3rver_metadata.json` (22 bytes), in folders named after the
 * other parts; file systems allow 255 bytes a name. A longer part failed with a 500 InternalError
 * (and an unhandled stream error), so every part is held to 233 bytes, and the key to S3's 1,024.
 */
export const S3RVER_KEY_LIMITS: KeyLimits = {
  maxKeyBytes: 1024,
  maxSegmentBytes: 255 - '._S3rver_metadata.json'.length,
  store: 'the local S3',
};

/** s3rver's error (lib/models/error.js): its own error handler answers it as S3 does, as XML. */
type S3ErrorConstructor = new (code: string, message: string, detail?: Record<string, string>) => Error;

/** The part of a Koa context the guard reads. */
interface RequestContext {
  readonly path: string;
  get(header: string): string;
}

type Middleware = (ctx: RequestContext, next: () => Promise<unknown>) => Promise<unknown>;

/** The parts of s3rver the guard is fitted to. */
export interface GuardedS3rver {
  /** Koa's middleware list, composed when the server starts listening. */
  readonly middleware: Middleware[];
  readonly store: {
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  };
}

/**
 * Makes s3rver refuse, with a 400 and before it reads or writes anything, every request whose
 * bucket or key it could not keep as it is:
 * - a `.` or `..` part: s3rver joins the parts into a file path, so `digests/../a.txt` named
 *   `a.txt`, and `../../x` a file outside its folder, where S3 keeps such keys literally;
 * - a key over {@link S3RVER_KEY_LIMITS} (`KeyTooLongError`, as S3 answers for 1,024 bytes).
 * The request path (path-style: `/<bucket>/<key>`) and `x-amz-copy-source` are checked first, and the
 * store refuses such keys too, for those that arrive in a request body (a multi-object delete).
 */
export function refuseUnstorableKeys(s3rver: GuardedS3rver): void {
  const S3Error = require('s3rver/lib/models/error') as S3ErrorConstructor;
  const check = (bucketAndKey: string): void => {
    const error = keyError(bucketAndKey, S3Error);
    if (error !== undefined) throw error;
  };
  s3rver.middleware.unshift(async (ctx, next) => {
    check(ctx.path);
    const copySource = ctx.get('x-amz-copy-source');
    if (copySource !== '') check(copySource.startsWith('/') ? copySource : `/${copySource}`);
    return next();
  });
  const store = s3rver.store;
  const getResourcePath = store.getResourcePath.bind(store);
  store.getResourcePath = (bucket, key, resource) => {
    check(`/${bucket}/${key ?? ''}`);
    return getResourcePath(bucket, key, resource);
  };
}

/** The S3 error for a `/<bucket>/<key>` path (percent-encoded or not) s3rver cannot store, if any. */
function keyError(rawPath: string, S3Error: S3ErrorConstructor): Error | undefined {
  let path: string;
  try {
    path = decodeURIComponent(rawPath.split('?', 1)[0] ?? '');
  } catch {
    return undefined; // Not a path s3rver's router decodes either: it answers that itself.
  }
  const dots = dotSegmentOf(path.slice(1));
  if (dots !== undefined) {
    return new S3Error(
      'InvalidArgument',
      `The local S3 keeps keys as files and cannot store a bucket or key with a '${dots}' part ` +
        '(S3 keeps it literally, here it would name another file).',
      { ArgumentName: 'key', ArgumentValue: path },
    );
  }
  const key = path.slice(1).split('/').slice(1).join('/');
  const keyBytes = Buffer.byteLength(key, 'utf8');
  const longestPart = Math.max(0, ...key.split('/').map((part) => Buffer.byteLength(part, 'utf8')));
  if (keyBytes > S3RVER_KEY_LIMITS.maxKeyBytes) {
    return new S3Error('KeyTooLongError', 'Your key is too long', {
      Size: String(keyBytes),
      MaxSizeAllowed: String(S3RVER_KEY_LIMITS.maxKeyBytes),
    });
  }
  if (longestPart > (S3RVER_KEY_LIMITS.maxSegmentBytes ?? Number.POSITIVE_INFINITY)) {
    return new S3Error(
      'KeyTooLongError',
      `Your key is too long for the local S3: it keeps each part between slashes as a file name of ` +
        `at most ${S3RVER_KEY_LIMITS.maxSegmentBytes} bytes`,
      { Size: String(longestPart), MaxSizeAllowed: String(S3RVER_KEY_LIMITS.maxSegmentBytes) },
    );
  }
  return undefined;
}
