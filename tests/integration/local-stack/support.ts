import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  isolatedStackOptions,
  type LocalStack,
  type LocalStackOptions,
  s3rverClient,
  startLocalStack,
} from '@feedwright/local-stack';
import { afterAll, beforeAll, vi } from 'vitest';

/** The repository's sample digests folder (what `npm start` loads). */
export const SAMPLE_DIGESTS = fileURLToPath(new URL('../../../events/digests', import.meta.url));

/** A fresh temp dir, and a function that removes it. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Calls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with
 * the last value seen described by `what` — uploads take effect asynchronously, as on AWS.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A small valid digest with one story in the topic "Local stack" (slug `local-stack`). */
export function digestText(options: { date: string; title: string; paragraph?: string }): string {
  return [
    `${options.date} 08:00 AM`,
    '',
    `Test Daily: ${options.title}`,
    '',
    'A digest made by the local-stack tests.',
    '',
    'Local stack /',
    '',
    options.title,
    '',
    options.paragraph ?? 'The first paragraph of the uploaded story.',
    '',
  ].join('\n');
}

/**
 * Quiets the handlers' Powertools logs (to `level`) and metrics for the tests of one file;
 * `vi.unstubAllEnvs()` in its afterAll restores what was set before.
 */
export function quietPowertools(level: 'WARN' | 'ERROR' | 'CRITICAL'): void {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', level);
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
}

/** What {@link useIsolatedStack} starts for a file's tests. */
export interface IsolatedStack {
  readonly stack: LocalStack;
  /** An S3 client on the stack's s3rver. */
  readonly s3: S3Client;
  /** A temp dir of the file's own (the stack's data is under `data/`). */
  readonly work: Awaited<ReturnType<typeof tempDir>>;
}

/**
 * A local stack of the calling file's own (see `isolatedStackOptions`), started in a `beforeAll` with
 * Powertools quieted to `level` and handed to `started`, and closed with its client and temp dir in an
 * `afterAll`. `options` is read when the stack starts (after the file's earlier `beforeAll`s).
 */
export function useIsolatedStack(
  prefix: string,
  started: (stack: IsolatedStack) => void,
  options: { readonly level?: 'WARN' | 'ERROR'; readonly stack?: () => Partial<LocalStackOptions> } = {},
): void {
  let running: IsolatedStack | undefined;
  beforeAll(async () => {
    quietPowertools(options.level ?? 'ERROR');
    const work = await tempDir(prefix);
    const stack = await startLocalStack({
      ...isolatedStackOptions(join(work.path, 'data')),
      ...options.stack?.(),
    });
    running = { stack, s3: s3rverClient(stack.s3Endpoint), work };
    started(running);
  });
  afterAll(async () => {
    running?.s3.destroy();
    await running?.stack.close();
    await running?.work.remove();
    vi.unstubAllEnvs();
  });
}
