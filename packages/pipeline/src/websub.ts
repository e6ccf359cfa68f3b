import type { PipelineLogger } from './logger.ts';

/** How render tells a WebSub hub that feeds changed. */
export interface HubPublisherOptions {
  /** The hub's URL (the site config's `hubUrl`). */
  readonly hubUrl: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Attempts per feed; only a 5xx, a network error or a timeout is retried. @default 4 */
  readonly maxAttempts?: number;
  /** First retry delay; each next one doubles. @default 200 */
  readonly baseDelayMs?: number;
  /** One request's time limit. @default 3000 */
  readonly timeoutMs?: number;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
  readonly logger?: PipelineLogger;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one batch of pings did. */
export interface HubPublishResult {
  /** Feed URLs the hub accepted (2xx). */
  readonly published: readonly string[];
  /** Feed URLs the hub refused or never answered for, after the retries, with the last reason. */
  readonly failed: ReadonlyArray<{ readonly url: string; readonly reason: string }>;
  /** Requests sent, retries included. */
  readonly requests: number;
}

/**
 * Publishes changed feeds to a WebSub hub (W3C WebSub §6: the publisher notifies its hub; this is the
 * de-facto `hub.mode=publish` form POST that hubs such as Google's and Superfeedr accept): one
 * `application/x-www-form-urlencoded` POST per feed URL, each URL once per call (duplicates dropped),
 * sent together as one batch with bounded concurrency. A 5xx, a network error or a timeout is retried
 * with exponential backoff; a 4xx is not (it would fail the same way). Never throws: a hub that is down
 * must not fail the render that already wrote the feeds, so failures come back in the result.
 */
export async function publishToHub(
  feedUrls: readonly string[],
  options: HubPublisherOptions,
): Promise<HubPublishResult> {
  const urls = [...new Set(feedUrls)];
  const published: string[] = [];
  const failed: { url: string; reason: string }[] = [];
  let requests = 0;
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelay = options.baseDelayMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const pingOne = async (url: string): Promise<void> => {
    let reason = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      requests += 1;
      try {
        const response = await doFetch(options.hubUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) {
          published.push(url);
          return;
        }
        reason = `HTTP ${response.status}`;
        if (response.status < 500) break;
      } catch (error) {
        reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (attempt < maxAttempts) await sleep(baseDelay * 2 ** (attempt - 1));
    }
    failed.push({ url, reason });
    options.logger?.warn('WebSub hub did not take a publish notification', {
      hub: options.hubUrl,
      url,
      reason,
    });
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      const url = urls[next] as string;
      next += 1;
      await pingOne(url);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, urls.length) }, worker));
  published.sort();
  failed.sort((a, b) => (a.url < b.url ? -1 : 1));
  return { published, failed, requests };
}
