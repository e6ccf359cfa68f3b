import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDWRIGHT_BIN, REPO_ROOT } from '../../support/cli.ts';
import { eventually, tempDir } from './support.ts';

const BIN = FEEDWRIGHT_BIN;

/**
 * Collects the process's output lines into `output` (until it ends) and resolves with the first
 * one `match` accepts; rejects when the process ends before.
 */
function waitForLine(
  child: ChildProcess,
  output: string[],
  match: (line: string) => boolean,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (match(line)) resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`feedwright dev exited (${code}):\n${output.join('\n')}`)));
  });
}

describe('Command: feedwright dev', () => {
  let work: Awaited<ReturnType<typeof tempDir>>;
  let child: ChildProcess;
  const output: string[] = [];
  const stderr: string[] = [];
  let siteUrl = '';

  beforeAll(async () => {
    work = await tempDir('feedwright-cli-');
    child = spawn(
      BIN,
      [
        'dev',
        '--site-port',
        '0',
        '--s3-port',
        '0',
        '--dynamo-port',
        '0',
        '--smtp-port',
        '0',
        '--data-dir',
        join(work.path, 'data'),
        '--inbox',
        join(work.path, 'inbox'),
      ],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'INFO' },
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    await waitForLine(child, output, (line) => line.startsWith('ready:'));
    siteUrl = output.find((line) => line.startsWith('site: '))?.slice('site: '.length) ?? '';
  });

  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await work?.remove();
  });

  it('prints its endpoints and serves the sample digest once ready', async () => {
    // Act
    const response = await fetch(new URL('feeds/personal-data/rss.xml', siteUrl));

    // Assess
    expect(output.some((line) => /^s3: http:\/\/127\.0\.0\.1:\d+$/.test(line))).toBe(true);
    expect(output.some((line) => /^dynamodb: http:\/\/127\.0\.0\.1:\d+$/.test(line))).toBe(true);
    expect(output).toContain('incoming-bucket: feedwright-incoming');
    expect(output).toContain('table: feedwright');
    expect(output.some((line) => /^sample: cx-daily-2020-12-01\.txt ok \(\d+ stories\)$/.test(line))).toBe(
      true,
    );
    expect(siteUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(parseFeed(await response.text()).items.length).toBeGreaterThan(0);
  });

  it("writes the functions' logs as one short line each beside its own, not as JSON", () => {
    // Assess
    const logged = stderr.join('').split('\n');
    expect(logged).toContainEqual(
      expect.stringMatching(
        /^\[dev\] ingest: digest processed digests\/cx-daily-2020-12-01\.txt eventName=ObjectCreated:Put status=ok stories\.total=15 /,
      ),
    );
    expect(logged).toContainEqual(expect.stringMatching(/^\[dev\] render: batch rendered records=\d+ /));
    expect(logged).toContainEqual(
      expect.stringMatching(/^\[dev\] live: digests\/cx-daily-2020-12-01\.txt in \d+ ms/),
    );
    expect([...output, ...logged].filter((line) => line.startsWith('{'))).toEqual([]);
  });

  it('takes a digest mailed to its SMTP port into its topic feed within seconds', async () => {
    // Prepare
    const smtp = output.find((line) => line.startsWith('smtp: '))?.slice('smtp: '.length) ?? '';
    const [host, port] = smtp.split(':');
    const title = 'Mailed through the dev command';
    const text = [
      'Mar 02, 2021 08:00 AM',
      '',
      `Test Daily: ${title}`,
      '',
      'A digest mailed to feedwright dev.',
      '',
      'Mailed /',
      '',
      title,
      '',
      'The first paragraph of the mailed story.',
      '',
    ].join('\n');
    const transport = nodemailer.createTransport({
      host,
      port: Number(port),
      secure: false,
      ignoreTLS: true,
    });

    // Act
    await transport.sendMail({
      from: 'editor@example.com',
      to: 'digests@localhost',
      subject: 'Digest',
      text,
    });
    transport.close();

    // Assess
    expect(smtp).toMatch(/^127\.0\.0\.1:\d+$/);
    const titles = await eventually('the mailed story in feeds/mailed', async () => {
      const response = await fetch(new URL('feeds/mailed/rss.xml', siteUrl));
      if (response.status !== 200) return undefined;
      return parseFeed(await response.text()).items.map((item) => item.title);
    });
    expect(titles).toEqual([title]);
  });

  it('stops cleanly with exit code 0 on SIGINT', async () => {
    // Prepare
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

    // Act
    child.kill('SIGINT');
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    expect(output.at(-1)).toBe('stopped');
    expect(stderr.join('')).not.toContain('stopping failed');
  });
});
