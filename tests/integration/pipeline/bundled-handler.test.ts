import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { S3RVER_CREDENTIALS } from '@feedwright/local-stack';
import type { IngestReport } from '@feedwright/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambda, LAMBDA_NODE_OPTIONS } from '../../../infra/lib/lambda-bundling.ts';
import { type Emulators, startEmulators } from '../../support/emulators.ts';

const INCOMING = 'feedwright-incoming';
const MAIL_FIXTURE = new URL('../../fixtures/mail/cx-daily-2022-10-17-cjk-gb18030.eml', import.meta.url);
/** What SES puts on top of a message whose sender it authenticated (SPF and DKIM for the From: domain). */
const SES_PASS = [
  'X-SES-Spam-Verdict: PASS',
  'X-SES-Virus-Verdict: PASS',
  'Authentication-Results: amazonses.com; spf=pass (spfCheck: ok) client-ip=192.0.2.1; envelope-from=bounce@newsletter.example.com; helo=mx; dkim=pass header.i=@newsletter.example.com; dmarc=none header.from=newsletter.example.com;',
].join('\r\n');

/** Imports the bundle's handler in a Node.js process of its own (as Lambda would) and runs one event. */
const RUN_HANDLER = `
const { handler } = await import(process.env.BUNDLE);
const context = { functionName: 'ingest', awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 30000 };
await handler(JSON.parse(process.env.EVENT), context);
`;

/** The event S3 sends ingest for an object of INCOMING. */
const s3Event = (key: string, size: number) => ({
  Records: [
    {
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      eventTime: '2022-10-17T09:00:00.000Z',
      s3: { bucket: { name: INCOMING }, object: { key, size, sequencer: '0A1B2C' } },
    },
  ],
});

describe('Bundle: ingest as deployed', () => {
  let emulators: Emulators;
  let dir: string;
  let entry: string;

  beforeAll(async () => {
    emulators = await startEmulators({ buckets: [INCOMING] });
    dir = await mkdtemp(join(tmpdir(), 'feedwright-bundle-'));
    // The stack's own bundling: index.mjs and its chunks, mail parsing among the ones loaded later.
    entry = bundleLambda(
      join(import.meta.dirname, '..', '..', '..', 'functions', 'ingest', 'handler.ts'),
      dir,
      {
        logLevel: 'silent',
      },
    ).entry;
  });
  afterAll(async () => {
    await emulators?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Runs the bundle's handler on `event` in a process of its own, in the environment the stack sets. */
  const runBundled = (event: unknown, extraEnv: Readonly<Record<string, string>> = {}) =>
    promisify(execFile)(process.execPath, ['--input-type=module', '-e', RUN_HANDLER], {
      env: {
        PATH: process.env.PATH,
        BUNDLE: entry,
        EVENT: JSON.stringify(event),
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
        // s3rver stores aws-chunked framing as if it were the object's bytes.
        AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
        AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
        TABLE_NAME: emulators.tableName,
        ALLOWED_SENDERS: '@newsletter.example.com',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...extraEnv,
      },
    });

  it('publishes a mailed digest in GB 18030 from a mail/ key, loading mail parsing from its chunk', async () => {
    // Prepare
    const key = 'mail/0a1b2c3d4e5f';
    const message = Buffer.concat([Buffer.from(`${SES_PASS}\r\n`), await readFile(MAIL_FIXTURE)]);
    const s3 = emulators.s3Client();
    await s3.send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: message }));
    // Act: the function's environment as the stack sets it, the endpoints pointed at the emulators.
    await runBundled(s3Event(key, message.length));

    // Assess: the report ingest wrote, with the stories it applied to the table.
    const stored = await s3.send(new GetObjectCommand({ Bucket: INCOMING, Key: `reports/${key}.json` }));
    const report = JSON.parse(await (stored.Body?.transformToString() ?? '')) as IngestReport;
    expect(report).toMatchObject({ status: 'ok', key });
    expect(report.stories.added).toBeGreaterThan(0);
    expect(report.digest?.date).toBe('2022-10-17');
  });
  it('traces an invocation as Lambda does: the handler and each S3 and DynamoDB call a subsegment of its trace', async () => {
    // Prepare: a stand-in for the X-Ray daemon, the address Lambda gives the function.
    const key = 'mail/1b2c3d4e5f6a';
    const message = Buffer.concat([Buffer.from(`${SES_PASS}\r\n`), await readFile(MAIL_FIXTURE)]);
    await emulators.s3Client().send(new PutObjectCommand({ Bucket: INCOMING, Key: key, Body: message }));
    const daemon = createSocket('udp4');
    const documents: Record<string, unknown>[] = [];
    daemon.on('message', (packet) => {
      // Each packet: a `{"format":"json","version":1}` header line, then one (sub)segment.
      const [, body] = packet.toString('utf8').split('\n');
      if (body !== undefined) documents.push(JSON.parse(body) as Record<string, unknown>);
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const traceId = '1-5759e988-bd862e3fe1be46a994272793';

    // Act: Lambda's environment for an invocation with active tracing.
    try {
      await runBundled(s3Event(key, message.length), {
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        LAMBDA_TASK_ROOT: dir,
        _HANDLER: 'index.handler',
        _X_AMZN_TRACE_ID: `Root=${traceId};Parent=53995c3f42cd8ad8;Sampled=1`,
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
      });
      // UDP: the last datagrams may still be on their way when the process has exited.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      daemon.close();
    }

    // Assess
    const names = documents.map((document) => document.name);
    expect(names).toContain('## index.handler');
    expect(names).toContain('S3');
    expect(names).toContain('DynamoDB');
    for (const document of documents) expect(document.trace_id).toBe(traceId);
    const s3Calls = documents.filter((document) => document.name === 'S3');
    expect(s3Calls.map((call) => (call.aws as { operation?: string }).operation)).toContain('GetObject');
  });
});
