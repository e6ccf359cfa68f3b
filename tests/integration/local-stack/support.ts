import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

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
