import { DigestError } from './errors.ts';

/** A calendar date and clock time with no zone, as written on a digest's date line. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The date line, read. `hasTime` is false for a line with a date only (read as midnight). */
export interface DateLine {
  readonly wall: WallTime;
  readonly hasTime: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?';
const TIME = '(?:,?\\s+(?:at\\s+)?(\\d{1,2}):(\\d{2})(?::(\\d{2}))?(?:\\s*([ap])\\.?\\s?m\\.?)?)?';
// Anchored, with no nested quantifiers: linear on any input.
const MONTH_FIRST = new RegExp(
  `^${WEEKDAY}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME}$`,
  'i',
);
const DAY_FIRST = new RegExp(`^${WEEKDAY}(\\d{1,2})\\s+${MONTH},?\\s+(\\d{4})${TIME}$`, 'i');
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s]+(\d{2}):(\d{2})(?::(\d{2}))?)?$/i;

const EXAMPLE = "'Dec 01, 2020 09:19 AM'";

function toWall(
  line: string,
  year: number,
  month: number,
  day: number,
  time: { h?: string; m?: string; s?: string; ampm?: string },
): DateLine {
  const hasTime = time.h !== undefined;
  let hour = Number(time.h ?? 0);
  const minute = Number(time.m ?? 0);
  const second = Number(time.s ?? 0);
  if (time.ampm !== undefined) {
    if (hour < 1 || hour > 12) throw badDate(line, `${hour} is not an hour on a 12-hour clock`);
    hour = (hour % 12) + (time.ampm.toLowerCase() === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) throw badDate(line, 'the time does not exist');
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  if (year < 1000 || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw badDate(line, 'that day does not exist');
  }
  return { wall: { year, month, day, hour, minute, second }, hasTime };
}

function badDate(line: string, why: string): DigestError {
  return new DigestError(
    'BAD_DATE',
    `the date line '${line}' is not a real date (${why}): write it like ${EXAMPLE}`,
  );
}

/**
 * Reads a digest's date line: "Dec 01, 2020 09:19 AM" (the newsletter's form), and the close
 * variants editors type: full month names, a weekday in front, "1st", no leading zero, no comma,
 * "a.m.", a 24-hour time, seconds, no time at all, "01 Dec 2020", "2020-12-01 09:19".
 *
 * @returns undefined when the line is not a date at all.
 * @throws {DigestError} `BAD_DATE` when it is shaped like a date that does not exist.
 */
export function parseDateLine(line: string): DateLine | undefined {
  let m = MONTH_FIRST.exec(line);
  if (m !== null) {
    const [, mon, day, year, h, min, s, ampm] = m;
    return toWall(line, Number(year), MONTHS[(mon ?? '').slice(0, 3).toLowerCase()] ?? 0, Number(day), {
      h,
      m: min,
      s,
      ampm,
    });
  }
  m = DAY_FIRST.exec(line);
  if (m !== null) {
    const [, day, mon, year, h, min, s, ampm] = m;
    return toWall(line, Number(year), MONTHS[(mon ?? '').slice(0, 3).toLowerCase()] ?? 0, Number(day), {
      h,
      m: min,
      s,
      ampm,
    });
  }
  m = ISO.exec(line);
  if (m !== null) {
    const [, year, mon, day, h, min, s] = m;
    return toWall(line, Number(year), Number(mon), Number(day), { h, m: min, s });
  }
  return undefined;
}

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
  const d = new Date(0);
  d.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  d.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return d.getTime();
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

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const clock = (w: WallTime): string => `${pad(w.hour)}:${pad(w.minute)}`;
const isoDate = (w: WallTime): string => `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;

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
      note: `the time ${clock(wall)} on ${isoDate(wall)} occurs twice in ${timeZone} (clocks went back); read as the earlier, ${formatInstant(first)}`,
    };
  }
  if (candidates.length > 0) return { epochMs: first };
  const shifted = local - before;
  return {
    epochMs: shifted,
    note: `the time ${clock(wall)} on ${isoDate(wall)} does not exist in ${timeZone} (clocks went forward); read as ${formatInstant(shifted)}`,
  };
}

/** ISO 8601 in UTC to the second, as feeds want it: `2020-12-01T09:19:00Z`. */
export function formatInstant(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`;
}

/**
 * {@link formatInstant} for many instants close together (a digest's stories are seconds apart):
 * the date and minute part is formatted once per minute, not once per story.
 */
export function instantFormatter(): (epochMs: number) => string {
  let cachedMinute = Number.NaN;
  let prefix = '';
  return (epochMs) => {
    const seconds = Math.floor(epochMs / 1000);
    const minute = Math.floor(seconds / 60);
    const second = seconds - minute * 60;
    if (minute !== cachedMinute) {
      prefix = new Date(minute * 60_000).toISOString().slice(0, 17);
      cachedMinute = minute;
    }
    return `${prefix}${second < 10 ? '0' : ''}${second}Z`;
  };
}

/** The wall time's calendar date, `YYYY-MM-DD`. */
export function formatWallDate(wall: WallTime): string {
  return isoDate(wall);
}
