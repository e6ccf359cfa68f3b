import type { DigestEvent } from '@feedwright/pipeline';

/**
 * S3 events of digests in `bucket`, with sequencers increasing from one call to the next, as S3 gives
 * the events of one key (the first is S3-shaped: 18 hex digits).
 */
export function digestEventsIn(bucket: string): {
  created: (key: string, size?: number) => DigestEvent;
  removed: (key: string) => DigestEvent;
} {
  let sequencer = 0x0055aed6dcd9028000n;
  const next = (): string => {
    sequencer += 16n;
    return sequencer.toString(16).toUpperCase();
  };
  return {
    created: (key, size) => ({
      kind: 'created',
      bucket,
      key,
      sequencer: next(),
      eventName: 'ObjectCreated:Put',
      ...(size === undefined ? {} : { size }),
    }),
    removed: (key) => ({
      kind: 'removed',
      bucket,
      key,
      sequencer: next(),
      eventName: 'ObjectRemoved:Delete',
    }),
  };
}
