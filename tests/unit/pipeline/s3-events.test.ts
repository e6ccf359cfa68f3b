import { decodeS3Key, digestEventsOf, isMailKey } from '@feedwright/pipeline';
import { describe, expect, it } from 'vitest';
import { loadS3Event } from '../functions/events.ts';

describe('Function: decodeS3Key', () => {
  it.each([
    ['digests/cx+daily.txt', 'digests/cx daily.txt'],
    ['digests/a%2Bb.txt', 'digests/a+b.txt'],
    ['digests/%E6%97%A5%E6%8A%A5+%C3%A9t%C3%A9.txt', 'digests/日报 été.txt'],
    ['digests/100%25.txt', 'digests/100%.txt'],
  ])('decodes %s as S3 meant it: %s', (encoded, decoded) => {
    // Act & Assess
    expect(decodeS3Key(encoded)).toBe(decoded);
  });
});

describe('Function: digestEventsOf', () => {
  it('reads an upload notification into a created event with size and sequencer', () => {
    // Act
    const { events, ignored } = digestEventsOf(loadS3Event('put'));

    // Assess
    expect(ignored).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'created',
        bucket: 'feedwright-incoming',
        key: 'digests/cx-daily-2020-12-01.txt',
        size: 8141,
        sequencer: '0065A1B2C3D4E5F601',
      }),
    ]);
  });

  it('decodes a key with spaces and non-ASCII characters as AWS encodes it', () => {
    // Act
    const { events } = digestEventsOf(loadS3Event('put-key-with-spaces'));

    // Assess
    expect(events.map((event) => event.key)).toEqual(['digests/CX Daily – 1 Dec 2020.txt']);
  });

  it.each(['delete', 'delete-marker'])('reads %s as a removal without a size', (name) => {
    // Act
    const { events } = digestEventsOf(loadS3Event(name));

    // Assess
    expect(events).toHaveLength(1);
    expect(events[0]?.kind).toBe('removed');
    expect(events[0]?.size).toBeUndefined();
  });

  it('ignores objects outside digests/ and says why', () => {
    // Act
    const { events, ignored } = digestEventsOf(loadS3Event('put-outside-digests'));

    // Assess
    expect(events).toEqual([]);
    expect(ignored).toEqual([expect.objectContaining({ reason: 'not under digests/ or mail/' })]);
  });

  it('reads a message SES stored under mail/ as a digest event', () => {
    // Act
    const { events, ignored } = digestEventsOf(loadS3Event('put-mail'));

    // Assess
    expect(ignored).toEqual([]);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'created',
        key: 'mail/9vqa4ch7h1k3n0m8udq2a1se2b0v5tqp0gbbg1o1',
        size: 18231,
      }),
    ]);
    expect(isMailKey(events[0]?.key ?? '')).toBe(true);
  });

  it("ignores SES's setup notification, which is no message", () => {
    // Act
    const { events, ignored } = digestEventsOf(loadS3Event('put-ses-setup-notification'));

    // Assess
    expect(events).toEqual([]);
    expect(ignored).toEqual([
      expect.objectContaining({ reason: expect.stringMatching(/^SES's setup notification/) }),
    ]);
  });
});
