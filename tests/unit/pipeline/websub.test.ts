import { publishToHub } from '@feedwright/pipeline';
import { describe, expect, it } from 'vitest';

const HUB = 'https://hub.example.net/';
const A = 'https://feeds.example.com/feeds/a/rss.xml';
const B = 'https://feeds.example.com/feeds/b/rss.xml';

/** A fake fetch answering from a script per feed URL: a status, or 'throw' for a network error. */
function scriptedFetch(script: Record<string, Array<number | 'throw'>>) {
  const calls: { url: string; body: string }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = String(init?.body ?? '');
    const feed = new URLSearchParams(body).get('hub.url') ?? '';
    calls.push({ url: String(input), body });
    const next = script[feed]?.shift() ?? 202;
    if (next === 'throw') throw new TypeError('fetch failed');
    return new Response(null, { status: next });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

describe('Function: publishToHub', () => {
  it('posts hub.mode=publish and hub.url once per distinct feed', async () => {
    // Prepare
    const { fetch, calls } = scriptedFetch({});

    // Act
    const result = await publishToHub([A, B, A], { hubUrl: HUB, fetch });

    // Assess
    expect(result).toEqual({ published: [A, B], failed: [], requests: 2 });
    expect(calls.map((call) => call.url)).toEqual([HUB, HUB]);
    expect(calls.map((call) => Object.fromEntries(new URLSearchParams(call.body)))).toEqual([
      { 'hub.mode': 'publish', 'hub.url': A },
      { 'hub.mode': 'publish', 'hub.url': B },
    ]);
  });

  it('retries a 5xx and a network error with doubling delays, and gives up on a 4xx at once', async () => {
    // Prepare
    const { fetch } = scriptedFetch({ [A]: [503, 'throw', 202], [B]: [404, 202] });
    const delays: number[] = [];

    // Act
    const result = await publishToHub([A, B], {
      hubUrl: HUB,
      fetch,
      concurrency: 1,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });

    // Assess
    expect(result.published).toEqual([A]);
    expect(result.failed).toEqual([{ url: B, reason: 'HTTP 404' }]);
    expect(result.requests).toBe(4);
    expect(delays).toEqual([200, 400]);
  });

  it('never throws: a hub that stays down comes back as failed feeds', async () => {
    // Prepare
    const { fetch } = scriptedFetch({ [A]: [500, 500, 500, 500, 500] });

    // Act
    const result = await publishToHub([A], {
      hubUrl: HUB,
      fetch,
      maxAttempts: 3,
      sleep: async () => undefined,
    });

    // Assess
    expect(result).toEqual({ published: [], failed: [{ url: A, reason: 'HTTP 500' }], requests: 3 });
  });
});
