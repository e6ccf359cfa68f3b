import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEEDWRIGHT_BIN, REPO_ROOT, type CliRun as Run, runFeedwright } from '../../support/cli.ts';
import { projectOnto, withoutWarnings } from '../digest/fixture-digests.ts';

const ROOT = REPO_ROOT;
const BIN = FEEDWRIGHT_BIN;
const SEED = 'tests/fixtures/digests/cx-daily-2020-12-01.txt';

let dir = '';
/** The bad inputs, one file per class, and the CLI's answer for each (run in parallel, once). */
const bad = new Map<string, { file: string; run: Run }>();

const BAD_FILES: Record<string, (file: string, seed: Buffer) => Promise<void>> = {
  empty: (file) => writeFile(file, ''),
  blank: (file) => writeFile(file, ' \r\n\u00a0\u00a0\n\t\n'),
  binary: (file) =>
    writeFile(file, Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')),
  nul: (file, seed) =>
    writeFile(file, Buffer.concat([seed.subarray(0, 100), Buffer.from([0, 0]), seed.subarray(100)])),
  'invalid-utf8': (file, seed) =>
    writeFile(file, Buffer.from(seed.toString('utf8').replace(/[’“”—]/g, '\x92'), 'latin1')),
  'no-date': (file, seed) => writeFile(file, seed.toString('utf8').replace('Dec 01, 2020 09:19 AM', 'Today')),
  'no-sections': (file) =>
    writeFile(file, 'Dec 01, 2020 09:19 AM\n\nTitle\n\nSummary.\n\nA story with no section.\n'),
  'too-large': async (file) => {
    await writeFile(file, 'Dec 01, 2020 09:19 AM\n');
    // Sparse: 6 MiB on paper, nothing on disk; the command must refuse it from its size.
    await truncate(file, 6 * 1024 * 1024);
  },
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'feedwright-parse-'));
  const seed = await readFile(path.join(ROOT, SEED));
  await Promise.all(
    Object.entries(BAD_FILES).map(async ([name, make]) => {
      const file = path.join(dir, `${name}.txt`);
      await make(file, seed);
      bad.set(name, { file, run: await runFeedwright('parse', file) });
    }),
  );
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Command: feedwright parse', () => {
  it('prints the seed digest as its expected JSON', async () => {
    // Prepare
    const expected = JSON.parse(
      await readFile(path.join(ROOT, 'tests/fixtures/digests/cx-daily-2020-12-01.expected.json'), 'utf8'),
    );

    // Act
    const run = await runFeedwright('parse', SEED, '--timezone', 'UTC');

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const digest = JSON.parse(run.stdout);
    expect(projectOnto(digest, expected)).toEqual(withoutWarnings(expected));
    expect(run.stdout).toMatch(/^\{\n {2}"title": /);
  });

  it.each(['cx-daily-2023-08-21-lists', 'cx-daily-2023-11-27-lists-crlf'])(
    'prints the list digest %s as its expected JSON',
    async (name) => {
      // Prepare
      const expected = JSON.parse(
        await readFile(path.join(ROOT, `tests/fixtures/digests/${name}.expected.json`), 'utf8'),
      );

      // Act
      const run = await runFeedwright(
        'parse',
        `tests/fixtures/digests/${name}.txt`,
        '--timezone',
        expected.timezone,
      );

      // Assess
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const digest = JSON.parse(run.stdout);
      expect(projectOnto(digest, expected)).toEqual(withoutWarnings(expected));
      expect(digest.warnings).toEqual(expected.warnings);
    },
  );

  it.each([
    ['cx-daily-2020-12-01', 'cx-daily-2020-12-01'],
    ['cx-daily-2022-10-17-cjk-gb18030', 'cx-daily-2022-10-17-cjk'],
    ['cx-daily-2021-06-02-nbsp-forwarded', 'cx-daily-2021-06-02-nbsp'],
  ])('prints the same stories for the mailed %s.eml as for %s.txt', async (mail, text) => {
    // Act
    const [fromMail, fromText] = await Promise.all([
      runFeedwright('parse', `tests/fixtures/mail/${mail}.eml`),
      runFeedwright('parse', `tests/fixtures/digests/${text}.txt`),
    ]);

    // Assess
    expect(fromMail.stderr).toBe('');
    expect(fromMail.code).toBe(0);
    expect(JSON.parse(fromMail.stdout).stories.length).toBeGreaterThan(0);
    expect(fromMail.stdout).toBe(fromText.stdout);
  });

  it('rejects a mail with no text part in the one-line form', async () => {
    // Act
    const run = await runFeedwright('parse', 'tests/fixtures/mail/attachment-only.eml');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'feedwright: tests/fixtures/mail/attachment-only.eml: the message has no text part (only an attachment, which is ignored): mail the digest as the text of the message\n',
    );
  });

  it.each(Object.keys(BAD_FILES))(
    'rejects the %s file: one line on stderr, nothing on stdout, exit 1 (refused)',
    (name) => {
      // Prepare
      const { file, run } = bad.get(name) ?? { file: '', run: { code: -1, stdout: '', stderr: '' } };

      // Assess
      expect(run.stdout).toBe('');
      expect(run.code).toBe(1);
      expect(run.stderr.endsWith('\n')).toBe(true);
      const lines = run.stderr.slice(0, -1).split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]?.startsWith(`feedwright: ${file}: `)).toBe(true);
      expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
    },
  );

  it('names the reason for each bad file', () => {
    // Prepare
    const reason = (name: string) => bad.get(name)?.run.stderr ?? '';

    // Assess
    expect(reason('empty')).toMatch(/empty/);
    expect(reason('blank')).toMatch(/only blank lines/);
    expect(reason('binary')).toMatch(/PNG image/);
    expect(reason('nul')).toMatch(/NUL bytes/);
    expect(reason('invalid-utf8')).toMatch(/not UTF-8/);
    expect(reason('no-date')).toMatch(/no date line/);
    expect(reason('no-sections')).toMatch(/no sections/);
    expect(reason('too-large')).toMatch(/6\.0 MiB, over the 5\.0 MiB limit/);
  });

  it('honours --max-bytes', async () => {
    // Act
    const run = await runFeedwright('parse', SEED, '--max-bytes', '1K');

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `feedwright: ${SEED}: the file is 8.0 KiB, over the 1.0 KiB limit for a digest: check that it is the right file\n`,
    );
  });

  it('refuses an unknown time zone as wrong usage, naming the flag', async () => {
    // Act
    const run = await runFeedwright('parse', SEED, '--timezone', 'Mars/Base');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^feedwright parse: --timezone: unknown time zone 'Mars\/Base': use an IANA name such as 'UTC'/,
    );
  });

  it('refuses a missing file as wrong usage, as every command does', async () => {
    // Act
    const run = await runFeedwright('parse', 'no/such/digest.txt');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^feedwright parse: no such file: no\/such\/digest.txt\n/);
  });

  it('stops quietly when the reader closes the pipe early (| head)', async () => {
    // Prepare: a digest big enough that its JSON outgrows the pipe's buffer (900 stories, under the limit).
    const seed = await readFile(path.join(ROOT, SEED), 'utf8');
    const sections = seed.slice(seed.indexOf('Personal data /'), seed.indexOf('Thanks for reading'));
    const file = path.join(dir, 'long.txt');
    await writeFile(file, seed.slice(0, seed.indexOf('Personal data /')) + sections.repeat(60));

    // Act
    const child = spawn(BIN, ['parse', file], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints its help on --help', async () => {
    // Act
    const run = await runFeedwright('parse', '--help');

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: feedwright parse FILE [--timezone TZ] [--max-bytes N]');
    expect(run.stdout).toContain('--timezone TZ');
  });

  it('rejects an unknown option with its usage, exit 2', async () => {
    // Act
    const run = await runFeedwright('parse', SEED, '--colour');

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^feedwright parse: unknown option '--colour'\nUsage: feedwright parse/);
  });
});
