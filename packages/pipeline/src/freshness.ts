import type { DigestEventStamp } from '@feedwright/storage';

/** One digest event that went live: what render logs, counts and writes next to the digest's report. */
export interface DigestLive {
  /** The digest's object key. */
  readonly key: string;
  /** The S3 sequencer of the event that went live (matches its ingest report's). */
  readonly sequencer: string;
  /** When S3 saw the upload or delete (ISO 8601), when known. */
  readonly eventAt?: string;
  /** When the render that wrote its last site object finished (ISO 8601). */
  readonly liveAt: string;
  /** `liveAt - eventAt` in milliseconds (never negative: clocks of two services may differ a little). */
  readonly freshnessMs?: number;
}

/**
 * The digests a rendered batch made live, with their freshness: the time from the S3 event of each
 * (its issue record carries it) to `liveAt`, the end of the render that wrote the digest's last site
 * object. Sorted by key, so logs and reports come out in one order.
 */
export function digestsLive(stamps: Iterable<DigestEventStamp>, liveAt: Date): DigestLive[] {
  return [...stamps]
    .sort((a, b) => (a.digestKey < b.digestKey ? -1 : a.digestKey > b.digestKey ? 1 : 0))
    .map((stamp) => {
      const eventTime = stamp.eventAt === undefined ? Number.NaN : Date.parse(stamp.eventAt);
      return {
        key: stamp.digestKey,
        sequencer: stamp.sequencer,
        ...(stamp.eventAt === undefined ? {} : { eventAt: stamp.eventAt }),
        liveAt: liveAt.toISOString(),
        ...(Number.isNaN(eventTime) ? {} : { freshnessMs: Math.max(0, liveAt.getTime() - eventTime) }),
      };
    });
}
