import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { EditorTarget } from './options.ts';

/**
 * A failure the editor cannot fix by editing the digest: a timeout, an unreachable endpoint, refused
 * credentials, a missing bucket. The command prints its one-line message and exits 2.
 */
export class EditorToolError extends Error {
  override readonly name = 'EditorToolError';
}

// Fail fast on a stopped local stack or a wrong endpoint: the editor is waiting at a prompt.
const REQUEST_HANDLER = { connectionTimeout: 3_000, requestTimeout: 15_000 } as const;

/**
 * The SDK warns on Node.js 20 that its releases from 2027 need Node.js 22: a note for whoever pins the
 * SDK (package.json), not for an editor waiting for a one-line outcome.
 */
function quietSdk(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** The S3 client of an editor command: path-style and no default checksums on an explicit endpoint (s3rver). */
export function editorS3Client(target: EditorTarget): S3Client {
  quietSdk();
  return new S3Client({
    region: target.region,
    maxAttempts: 4,
    requestHandler: REQUEST_HANDLER,
    ...(target.credentials === undefined ? {} : { credentials: target.credentials }),
    ...(target.s3Endpoint === undefined
      ? {}
      : {
          endpoint: target.s3Endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
  });
}

/** The DynamoDB client a dry run reads the live state with. */
export function editorDynamoClient(target: EditorTarget): DynamoDBClient {
  quietSdk();
  return new DynamoDBClient({
    region: target.region,
    maxAttempts: 4,
    requestHandler: REQUEST_HANDLER,
    ...(target.dynamoEndpoint === undefined
      ? {}
      : {
          endpoint: target.dynamoEndpoint,
          // dynalite takes any key; real credentials from the environment are used when set.
          credentials: target.credentials ?? {
            accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
            secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
          },
        }),
  });
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);
const REFUSED_CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'ExpiredToken',
  'InvalidToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'CredentialsProviderError',
  'ProviderError',
]);

/**
 * An AWS SDK failure as one line an editor can act on; `service` and `endpoint` name what was asked.
 * Anything else is passed through as an {@link EditorToolError} with the SDK's message.
 */
export function describeAwsFailure(
  error: unknown,
  service: 'S3' | 'DynamoDB',
  endpoint: string | undefined,
): EditorToolError {
  if (error instanceof EditorToolError) return error;
  const where = endpoint ?? `AWS (${service})`;
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  };
  const code = e?.code ?? e?.cause?.code ?? e?.name ?? '';
  if (
    UNREACHABLE.has(code) ||
    e?.name === 'TimeoutError' ||
    /ECONNREFUSED|ENOTFOUND|socket hang up/.test(e?.message ?? '')
  ) {
    const hint =
      endpoint === undefined
        ? 'check your network and AWS_REGION'
        : 'is the local stack running (npm start)?';
    return new EditorToolError(`cannot reach ${service} at ${where} (${code || 'no answer'}): ${hint}`);
  }
  if (REFUSED_CREDENTIALS.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 403) {
    return new EditorToolError(
      `${service} at ${where} refused the credentials (${e?.name ?? 'HTTP 403'}): check AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`,
    );
  }
  if (e?.name === 'NoSuchBucket')
    return new EditorToolError(`there is no such bucket at ${where}: check --bucket`);
  if (e?.name === 'ResourceNotFoundException')
    return new EditorToolError(`there is no such table at ${where}: check --table`);
  return new EditorToolError(`${service} at ${where} failed: ${e?.message ?? String(error)}`);
}
