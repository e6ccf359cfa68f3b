import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Digest, DigestError } from '@feedwright/digest';

/** Folder of the digest fixtures: `<name>.txt` and the hand-written `<name>.expected.json`. */
export const DIGESTS_DIR = fileURLToPath(new URL('../../fixtures/digests/', import.meta.url));

/** What an `.expected.json` holds: the required fields, and any extra field worth pinning down. */
export interface ExpectedDigest {
  readonly title: string;
  readonly summary: string;
  readonly publishedAt: string;
  readonly timezone?: string;
  readonly stories: readonly Record<string, unknown>[];
  /** Each entry is a part of the warning at the same index; the counts must match. */
  readonly warnings?: readonly string[];
  readonly [field: string]: unknown;
}

export interface DigestFixture {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly expected: ExpectedDigest;
}

/** Every fixture digest that has an expected result, by name. */
export function loadDigestFixtures(): DigestFixture[] {
  return readdirSync(DIGESTS_DIR)
    .filter((file) => file.endsWith('.expected.json'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.expected.json'.length);
      return {
        name,
        bytes: readFileSync(`${DIGESTS_DIR}${name}.txt`),
        expected: JSON.parse(readFileSync(`${DIGESTS_DIR}${file}`, 'utf8')) as ExpectedDigest,
      };
    });
}

/**
 * The parts of `actual` that `expected` names: every top-level field but `warnings`, and in each
 * story the fields that the expected story lists (the required ones always, extras where given).
 */
export function projectOnto(actual: Digest, expected: ExpectedDigest): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  const source = actual as unknown as Record<string, unknown>;
  for (const key of Object.keys(expected)) {
    if (key === 'warnings') continue;
    if (key === 'stories') {
      projected.stories = actual.stories.map((story, i) => {
        const want = expected.stories[i] ?? {};
        const all = story as unknown as Record<string, unknown>;
        return Object.fromEntries(Object.keys(want).map((field) => [field, all[field]]));
      });
    } else {
      projected[key] = source[key];
    }
  }
  return projected;
}

/** `expected` without its `warnings`, which are compared by part, not whole. */
export function withoutWarnings(expected: ExpectedDigest): Record<string, unknown> {
  const { warnings: _warnings, ...rest } = expected;
  return rest;
}

/** The DigestError that `fn` throws (failing the test if it throws anything else or nothing). */
export function digestErrorOf(fn: () => unknown): DigestError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DigestError) return error;
    throw error;
  }
  throw new Error('expected a DigestError, but nothing was thrown');
}
