import type { RenamedStory } from './items.ts';

/**
 * The redirect records' port: ingest records an upload's renamed stories, render and reconcile read them
 * all (ONE paginated Query of their partition). Implemented by `TableStoryStore`.
 */
export interface RedirectStore {
  /** Records that each renamed story's old id leads to its new one (idempotent: a same record is not rewritten). */
  recordRedirects(renamed: readonly RenamedStory[]): Promise<void>;
  /** Every redirect record, old id → new id (strongly consistent). */
  redirects(): Promise<Map<string, string>>;
}

/**
 * The ids a redirect from `from` passes through, in order, `from` excluded: its `to`, what that was
 * renamed to, and so on, stopping at the end of the chain or where it comes back on itself.
 */
export function redirectChain(from: string, redirects: ReadonlyMap<string, string>): string[] {
  const chain: string[] = [];
  const seen = new Set([from]);
  for (let next = redirects.get(from); next !== undefined && !seen.has(next); next = redirects.get(next)) {
    chain.push(next);
    seen.add(next);
  }
  return chain;
}

/**
 * Where the old address of story `from` leads: the first live story along its chain of redirects (a
 * story renamed again leads on to its latest name), or `undefined` when `from` is live itself (its own
 * page stands: a headline corrected back), has no redirect, or no story along the chain is live.
 */
export function resolveRedirect(
  from: string,
  redirects: ReadonlyMap<string, string>,
  isLive: (storyId: string) => boolean,
): string | undefined {
  if (isLive(from)) return undefined;
  return redirectChain(from, redirects).find(isLive);
}
