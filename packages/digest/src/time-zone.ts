/**
 * Time zones: checking a zone's name, and the instant at which its clocks show a wall time.
 */
import type { WallTime } from './date-line.ts';
import { DigestError } from './errors.ts';
import { formatInstant, formatWallClock, formatWallDate } from './format-time.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();
const resolvedZones = new Map<string, string>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Checks an IANA time zone name and returns its canonical spelling ("utc" → "UTC").
 *
 * @throws {DigestError} `BAD_TIMEZONE` for a name the runtime's time zone data does not know.
 */
export function resolveTimeZone(timeZone: string): string {
  const known = resolvedZones.get(timeZone);
  if (known !== undefined) return known;
  try {
    if (timeZone.trim() === '') throw new RangeError('empty');
    const resolved = formatterFor(timeZone).resolvedOptions().timeZone;
    resolvedZones.set(timeZone, resolved);
    return resolved;
  } catch {
    throw new DigestError(
      'BAD_TIMEZONE',
      `unknown time zone '${timeZone}': use an IANA name such as 'UTC', 'Asia/Shanghai' or 'America/New_York'`,
    );
  }
}

function wallToUtcMs(wall: WallTime): number {
  // Years below 100 would be read as 19xx by Date.UTC; date lines have four-digit years ≥ 1000.
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The zone's wall clock at instant `ms`, expressed as if it were UTC. */
function wallClockAt(ms: number, formatter: Intl.DateTimeFormat): number {
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return wallToUtcMs({
    year: fields.year ?? 1970,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: (fields.hour ?? 0) % 24,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  });
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The wall time's instant in `timeZone`, plus a note when a clock change made it odd. */
export interface ZonedInstant {
  readonly epochMs: number;
  readonly note?: string;
}

/**
 * The instant at which clocks in `timeZone` (a name already checked by {@link resolveTimeZone})
 * show `wall`. Clock changes are resolved the way calendars do (Temporal's "compatible"): a time
 * skipped by a spring-forward gap is moved forward by the gap (02:30 → 03:30), and a time that
 * occurs twice when clocks go back is the earlier of the two. Either case comes with a note.
 */
export function wallTimeToInstant(wall: WallTime, timeZone: string): ZonedInstant {
  const local = wallToUtcMs(wall);
  if (timeZone === 'UTC') return { epochMs: local };
  const formatter = formatterFor(timeZone);
  // Offsets a day either side: no zone changes its offset twice within two days.
  const before = wallClockAt(local - DAY_MS, formatter) - (local - DAY_MS);
  const after = wallClockAt(local + DAY_MS, formatter) - (local + DAY_MS);
  const candidates = [local - before, local - after].filter((t) => wallClockAt(t, formatter) === local);
  const first = Math.min(...candidates);
  if (candidates.length === 2 && candidates[0] !== candidates[1]) {
    return {
      epochMs: first,
      note: `the time ${formatWallClock(wall)} on ${formatWallDate(wall)} occurs twice in ${timeZone} (clocks went back); read as the earlier, ${formatInstant(first)}`,
    };
  }
  if (candidates.length > 0) return { epochMs: first };
  const shifted = local - before;
  return {
    epochMs: shifted,
    note: `the time ${formatWallClock(wall)} on ${formatWallDate(wall)} does not exist in ${timeZone} (clocks went forward); read as ${formatInstant(shifted)}`,
  };
}
