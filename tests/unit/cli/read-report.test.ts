import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { EditorToolError } from '../../../packages/cli/src/publish/editor-clients.ts';
import { readReport } from '../../../packages/cli/src/publish/editor-loop.ts';
import type { EditorTarget } from '../../../packages/cli/src/publish/options.ts';

const TARGET: EditorTarget = {
  s3Endpoint: 'http://127.0.0.1:4569',
  dynamoEndpoint: undefined,
  bucket: 'feedwright-incoming',
  table: undefined,
  siteUrl: 'http://127.0.0.1:8080/',
  credentials: undefined,
  region: 'us-east-1',
  timeoutMs: 1_000,
};

/** An S3 client whose every GetObject answers with `body`, or fails with `error`. */
function answering(answer: { body?: () => Promise<string>; error?: unknown }): S3Client {
  return {
    send: async () => {
      if (answer.error !== undefined) throw answer.error;
      return { Body: { transformToString: answer.body } };
    },
  } as unknown as S3Client;
}

describe('Function: readReport', () => {
  it('reads the report as JSON', async () => {
    const s3 = answering({ body: async () => '{"status":"published"}' });
    expect(await readReport(s3, TARGET, 'digests/x.txt')).toEqual({ status: 'published' });
  });

  it('asks again (undefined) when the connection is cut while the body streams, after the SDK has its answer', async () => {
    const cut = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    const s3 = answering({ body: () => Promise.reject(cut) });
    expect(await readReport(s3, TARGET, 'digests/x.txt')).toBeUndefined();
  });

  it('asks again (undefined) when there is no report yet', async () => {
    const s3 = answering({
      error: Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
    });
    expect(await readReport(s3, TARGET, 'digests/x.txt')).toBeUndefined();
  });

  it('names the endpoint when the request itself finds nobody there', async () => {
    const s3 = answering({
      error: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const failure = await readReport(s3, TARGET, 'digests/x.txt').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EditorToolError);
    expect((failure as Error).message).toMatch(
      /^cannot reach S3 at http:\/\/127\.0\.0\.1:4569 \(ECONNREFUSED\)/,
    );
  });
});
