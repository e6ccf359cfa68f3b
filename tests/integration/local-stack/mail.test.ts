import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { parseDigest } from '@feedwright/digest';
import { type LocalStack, s3rverClient, startLocalStack } from '@feedwright/local-stack';
import { parseFeed } from '@rowanmanning/feed-parser';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FEEDWRIGHT_BIN, REPO_ROOT, runFeedwright } from '../../support/cli.ts';
import { eventually, quietPowertools, tempDir } from './support.ts';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const digestFile = (name: string): string => readFileSync(new URL(`digests/${name}.txt`, FIXTURES), 'utf8');
const emlFile = (name: string): Buffer => readFileSync(new URL(`mail/${name}.eml`, FIXTURES));

const NEWSLETTER = 'CX Daily <daily@newsletter.example.com>';
const TO = 'digests@localhost';

interface Report {
  readonly status: string;
  readonly reason?: string;
  readonly warnings?: readonly string[];
  readonly stories?: Record<string, number>;
}

/** A digest's text as an HTML newsletter: one <p> per block, <br> between its lines. */
function asHtml(text: string): string {
  const blocks = text.split(/\n{2,}/).filter((block) => block.trim().length > 0);
  const escapeHtml = (line: string) =>
    line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html><html><body>${blocks.map((b) => `<p>${b.split('\n').map(escapeHtml).join('<br>')}</p>`).join('')}</body></html>`;
}

describe('Local stack: newsletters by e-mail (nodemailer → SMTP → mail/ → ingest → feeds)', () => {
  let stack: LocalStack;
  let s3: S3Client;
  let smtp: Transporter;
  let work: Awaited<ReturnType<typeof tempDir>>;

  /** Sends one message; resolves with the `mail/` key the SMTP server stored it under. */
  async function send(message: Mail.Options): Promise<string> {
    const info = await smtp.sendMail(message);
    const key = /stored as (mail\/\S+)/.exec(info.response ?? '')?.[1];
    if (key === undefined) throw new Error(`no key in the SMTP response: ${info.response}`);
    return key;
  }

  async function reportOf(key: string): Promise<Report> {
    return eventually(`the report of ${key}`, async () => {
      try {
        const object = await s3.send(
          new GetObjectCommand({ Bucket: stack.incomingBucket, Key: `reports/${key}.json` }),
        );
        return JSON.parse(await (object.Body?.transformToString() ?? '')) as Report;
      } catch {
        return undefined;
      }
    });
  }

  async function feedTitles(topic: string): Promise<string[]> {
    const response = await fetch(new URL(`feeds/${topic}/rss.xml`, stack.siteUrl));
    if (response.status === 404) return [];
    return parseFeed(await response.text()).items.map((item) => item.title ?? '');
  }

  async function eventuallyInFeed(topic: string, title: string): Promise<string[]> {
    return eventually(`"${title}" in feeds/${topic}`, async () => {
      const titles = await feedTitles(topic);
      return titles.includes(title) ? titles : undefined;
    });
  }

  beforeAll(async () => {
    quietPowertools('ERROR');
    work = await tempDir('feedwright-mail-');
    stack = await startLocalStack({
      sitePort: 0,
      s3Port: 0,
      dynamoPort: 0,
      smtpPort: 0,
      allowedSenders: '@newsletter.example.com, editor@desk.example.com',
      dataDir: join(work.path, 'data'),
      inboxDir: null,
      digestsDir: null,
      log: () => undefined,
    });
    s3 = s3rverClient(stack.s3Endpoint, stack.region);
    smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.smtpPort ?? 0,
      secure: false,
      ignoreTLS: true,
    });
  });

  afterAll(async () => {
    smtp?.close();
    s3?.destroy();
    await stack?.close();
    await work?.remove();
    vi.unstubAllEnvs();
  });

  it('publishes multipart/alternative mail with quoted-printable UTF-8 into its topic feed', async () => {
    // Act
    const key = await send({
      from: NEWSLETTER,
      to: TO,
      subject: 'Caixin daily — 2020-12-01',
      text: digestFile('cx-daily-2020-12-01'),
      html: asHtml(digestFile('cx-daily-2020-12-01')),
      textEncoding: 'quoted-printable',
    });

    // Assess
    const raw = await s3.send(new GetObjectCommand({ Bucket: stack.incomingBucket, Key: key }));
    const stored = (await raw.Body?.transformToString()) ?? '';
    expect(stored).toMatch(/Content-Type: multipart\/alternative/);
    expect(stored).toMatch(/Content-Transfer-Encoding: quoted-printable/);
    const report = await reportOf(key);
    expect(report).toMatchObject({ status: 'ok', warnings: [] });
    expect(report.stories?.added).toBe(15);
    await eventuallyInFeed(
      'personal-data',
      'Cover Story: The fight over China’s law to protect personal data',
    );
  });

  it('publishes base64 text in a non-UTF-8 charset (GB 18030)', async () => {
    // Act
    const key = await send({
      envelope: { from: 'daily@newsletter.example.com', to: [TO] },
      raw: emlFile('cx-daily-2022-10-17-cjk-gb18030'),
    });

    // Assess
    expect((await reportOf(key)).status).toBe('ok');
    await eventuallyInFeed(encodeURIComponent('房地产'), '多地放宽限购，楼市会回暖吗？');
  });

  it('publishes HTML-only mail from its HTML part, with a warning in the report', async () => {
    // Act
    const key = await send({
      from: NEWSLETTER,
      to: TO,
      subject: 'Caixin daily 2022-07-01',
      html: asHtml(digestFile('cx-daily-2022-07-01-quick-hits')),
    });

    // Assess
    const report = await reportOf(key);
    expect(report.status).toBe('ok');
    expect(report.warnings?.[0]).toMatch(/no plain-text part: its HTML part was read/);
    const story = parseDigest(digestFile('cx-daily-2022-07-01-quick-hits')).stories.find(
      (s) => s.topicSlug === 'hong-kong',
    );
    await eventuallyInFeed('hong-kong', story?.title ?? 'a hong-kong story');
  });

  it('unwraps a forwarded copy, and a second copy of a newsletter adds no duplicate stories', async () => {
    // Prepare
    const forwarded = `FYI\n\n---------- Forwarded message ---------\nFrom: ${NEWSLETTER}\nDate: Tue, Dec 1, 2020 at 9:30 AM\nSubject: Caixin daily\nTo: <editor@desk.example.com>\n\n\n${digestFile('cx-daily-2020-12-01')}`;
    const before = await eventuallyInFeed(
      'personal-data',
      'Cover Story: The fight over China’s law to protect personal data',
    );

    // Act
    const key = await send({
      from: 'Editor <editor@desk.example.com>',
      to: TO,
      subject: 'Fwd: Caixin daily',
      text: forwarded,
    });

    // Assess
    const report = await reportOf(key);
    expect(report.status).toBe('ok');
    expect(report.stories?.added).toBe(0);
    expect(await feedTitles('personal-data')).toEqual(before);
  });

  it('ignores attachments', async () => {
    // Act
    const key = await send({
      from: NEWSLETTER,
      to: TO,
      subject: 'Caixin daily 2023-05-09',
      text: digestFile('cx-daily-2023-05-09-property'),
      attachments: [
        { filename: 'digest.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n'), contentType: 'application/pdf' },
        { filename: 'notes.txt', content: 'Oct 17, 2022 08:00 AM\n\nNot it\n\nTopic /\n\nAttached story\n' },
      ],
    });

    // Assess
    const report = await reportOf(key);
    expect(report.status).toBe('ok');
    expect(report.stories?.total).toBe(
      parseDigest(digestFile('cx-daily-2023-05-09-property')).stories.length,
    );
    expect(await feedTitles('topic')).toEqual([]);
  });

  /** Sends one message that the SMTP server must refuse; resolves with its reply. */
  async function refusal(message: Mail.Options): Promise<{ responseCode?: number; response?: string }> {
    const outcome = await smtp.sendMail(message).then(
      (info) => ({ accepted: info.response }),
      (error: { responseCode?: number; response?: string }) => error,
    );
    if ('accepted' in outcome) throw new Error(`the SMTP server took the message: ${outcome.accepted}`);
    return outcome;
  }

  /** Keys under mail/ in the incoming bucket. */
  async function mailKeys(): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: stack.incomingBucket, Prefix: 'mail/' }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '');
  }

  it('refuses a mail that is not a digest in the SMTP dialogue, with the parser reason, and stores nothing', async () => {
    // Prepare
    const before = await mailKeys();

    // Act
    const reply = await refusal({
      from: NEWSLETTER,
      to: TO,
      subject: 'Lunch?',
      text: 'Hi,\n\nlunch on Friday?\n',
    });

    // Assess
    expect(reply.responseCode).toBe(554);
    expect(reply.response).toMatch(/^554 5\.6\.0 refused, nothing published: no date line/);
    expect(await mailKeys()).toEqual(before);
  });

  it('refuses a message with only an attachment in the SMTP dialogue: no text part', async () => {
    // Act
    const reply = await refusal({
      from: NEWSLETTER,
      to: TO,
      subject: 'Digest attached',
      attachments: [{ filename: 'digest.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') }],
    });

    // Assess
    expect(reply.response).toMatch(/^554 5\.6\.0 refused, nothing published: the message has no text part/);
  });

  it('refuses a sender not on --allowed-senders in the SMTP dialogue, saying why, and publishes nothing', async () => {
    // Prepare
    const before = await mailKeys();

    // Act
    const reply = await refusal({
      from: 'Someone <someone@elsewhere.example>',
      to: TO,
      subject: 'Caixin daily 2022-03-14',
      text: digestFile('cx-daily-2022-03-14-new-york'),
    });

    // Assess
    expect(reply.responseCode).toBe(550);
    expect(reply.response).toMatch(/someone@elsewhere.example is not on the allowed senders list/);
    expect(await mailKeys()).toEqual(before);
    expect(await feedTitles('all')).not.toContain('Shenzhen halts bus and subway services');
  });
  it('is repaired by feedwright reconcile under the sender list the stack was started with, not "anyone"', async () => {
    // Prepare: a forged mail put straight into the bucket, past the SMTP door; ingest refuses it.
    const key = 'mail/20201201-forged.eml';
    const forged = `From: Editor <evil@attacker.example>\r\nTo: ${TO}\r\nSubject: Daily\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${digestFile('cx-daily-2022-02-04-repeats')}`;
    await s3.send(new PutObjectCommand({ Bucket: stack.incomingBucket, Key: key, Body: forged }));
    expect((await reportOf(key)).reason).toMatch(/evil@attacker.example is not on the allowed senders list/);
    const before = await feedTitles('all');

    // Act
    const run = await runFeedwright(
      'reconcile',
      ...['--s3-endpoint', stack.s3Endpoint, '--dynamo-endpoint', stack.dynamoEndpoint],
      ...['--base-url', stack.baseUrl, '--data-dir', stack.dataDir],
    );

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await reportOf(key)).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/evil@attacker.example is not on the allowed senders list/),
    });
    expect(await feedTitles('all')).toEqual(before);
  });
});

describe('Command: feedwright dev --allowed-senders, mailed a message with two From: addresses', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let child: ChildProcess;
  const output: string[] = [];
  const errors: string[] = [];
  let endpoints: { site: string; s3: string; smtpHost: string; smtpPort: number };

  beforeAll(async () => {
    work = await tempDir('feedwright-mail-dev-');
    await mkdir(join(work.path, 'digests'), { recursive: true });
    child = spawn(
      FEEDWRIGHT_BIN,
      [
        'dev',
        ...['--site-port', '0', '--s3-port', '0', '--dynamo-port', '0', '--smtp-port', '0'],
        ...['--allowed-senders', 'editor@example.com'],
        ...['--data-dir', join(work.path, 'data'), '--digests', join(work.path, 'digests')],
        ...['--inbox', join(work.path, 'inbox')],
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => errors.push(...chunk.toString('utf8').split('\n')));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        output.push(...lines);
        if (lines.some((line) => line.startsWith('ready:'))) resolve();
      });
      child.once('exit', (code) =>
        reject(new Error(`feedwright dev exited (${code}):\n${output.join('\n')}`)),
      );
    });
    const value = (name: string) =>
      output.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
    const [smtpHost, smtpPort] = value('smtp').split(':');
    endpoints = {
      site: value('site'),
      s3: value('s3'),
      smtpHost: smtpHost ?? '',
      smtpPort: Number(smtpPort),
    };
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await work?.remove();
  });

  it.each([
    ['two From: headers', ['From: Editor <editor@example.com>', 'From: Evil <evil@attacker.com>']],
    ['one From: header naming two', ['From: Editor <editor@example.com>, Evil <evil@attacker.com>']],
  ])('refuses %s in the SMTP dialogue with the reason, and nothing goes live', async (_, fromHeaders) => {
    // Prepare
    const transport = nodemailer.createTransport({
      host: endpoints.smtpHost,
      port: endpoints.smtpPort,
      secure: false,
      ignoreTLS: true,
    });
    const raw = `${[...fromHeaders, 'To: digests@localhost', 'Subject: CX Daily', 'Content-Type: text/plain; charset=utf-8'].join('\r\n')}\r\n\r\n${digestFile('cx-daily-2020-12-01').replace(/\r?\n/g, '\r\n')}`;

    // Act
    const reply = await transport
      .sendMail({ envelope: { from: 'editor@example.com', to: ['digests@localhost'] }, raw })
      .then(
        (info) => ({ responseCode: 250, response: info.response }),
        (error: { responseCode?: number; response?: string }) => error,
      );
    transport.close();

    // Assess
    expect(reply.responseCode).toBe(550);
    expect(reply.response).toMatch(
      /^550 5\.7\.1 refused, nothing published: the message has 2 From: addresses \(editor@example\.com, evil@attacker\.com\)/,
    );
    const s3 = s3rverClient(endpoints.s3, 'us-east-1');
    try {
      // Nothing of the message: no mail/ object and no report of one (the start-up reconcile's own
      // record, reports/reconcile/, is the stack's).
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'feedwright-incoming' }));
      const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
      expect(keys.filter((key) => !key.startsWith('reports/reconcile/'))).toEqual([]);
    } finally {
      s3.destroy();
    }
    expect((await fetch(new URL('feeds/personal-data/rss.xml', endpoints.site))).status).toBe(404);
    await eventually('the refusal in the log', async () =>
      [...output, ...errors].some((line) =>
        /refused \(SENDER_REFUSED\): the message has 2 From: addresses/.test(line),
      )
        ? true
        : undefined,
    );
  });
});
