/**
 * S3 `sequencer` values order the events of ONE object key: the greater hexadecimal value is the later
 * event. They come in varying lengths, so AWS says to left-pad the shorter with zeros and then compare
 * lexicographically; case is normalised because the value is hex.
 *
 * @returns a negative number when `a` is older than `b`, 0 when they are the same event, positive when newer.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = a.toUpperCase().padStart(width, '0');
  const right = b.toUpperCase().padStart(width, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

/** A sequencer must be non-empty hex; anything else cannot be ordered and is refused early. */
export function isValidSequencer(value: string): boolean {
  return /^[0-9A-Fa-f]{1,128}$/.test(value);
}

/** The sequencer just after `sequencer` (same width), or the lowest one for a key never seen. */
export function nextSequencer(sequencer: string | undefined): string {
  if (sequencer === undefined) return '0';
  const next = (BigInt(`0x${sequencer}`) + 1n).toString(16).toUpperCase();
  return next.padStart(sequencer.length, '0');
}
