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
// The newsletter's own form, "Dec 01, 2020 09:19 AM", tried first: a simpler pattern, and the usual case.
const NEWSLETTER = /^([A-Za-z]{3}) (\d{2}), (\d{4}) (\d{2}):(\d{2}) ([AaPp])[Mm]$/;
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
    // 12:05 AM is five past midnight; some generators print it 00:05 AM (a 0–11 clock): same time.
    if (hour > 12) throw badDate(line, `${hour} is not an hour on a 12-hour clock`);
    hour = (hour % 12) + (time.ampm.toLowerCase() === 'p' ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) throw badDate(line, 'the time does not exist');
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
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
 * variants editors type: full month names, a weekday in front, "1st", no leading zero ("Mar 3,
 * 2022 9:05 AM"), no comma, "a.m.", "00:05 AM" for "12:05 AM", a 24-hour time, seconds, no time
 * at all, "01 Dec 2020", "2020-12-01 09:19".
 *
 * @returns undefined when the line is not a date at all.
 * @throws {DigestError} `BAD_DATE` when it is shaped like a date that does not exist.
 */
export function parseDateLine(line: string): DateLine | undefined {
  let m = NEWSLETTER.exec(line);
  if (m !== null) {
    const [, mon, day, year, h, min, ampm] = m;
    const month = MONTHS[(mon ?? '').toLowerCase()];
    if (month !== undefined) return toWall(line, Number(year), month, Number(day), { h, m: min, ampm });
  }
  m = MONTH_FIRST.exec(line);
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
  // Years below 100 would be read as 19xx by Date.UTC; date lines have four-digit years ≥ 1000.
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
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

const pad = (n: number, width = 2): string => {
  const digits = `${n}`;
  return digits.length >= width ? digits : '0'.repeat(width - digits.length) + digits;
};
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

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * `YYYY-MM-DDTHH:MM` of a whole number of minutes since the epoch, by calendar arithmetic (Howard
 * Hinnant's civil-from-days) rather than a Date object: a digest formats one per story.
 */
function formatMinute(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const minuteOfDay = minutes - days * 1440;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(minuteOfDay / 60);
  return `${pad(year, 4)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minuteOfDay - hour * 60)}`;
}

/** ISO 8601 in UTC to the second, as feeds want it: `2020-12-01T09:19:00Z`. */
export function formatInstant(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${formatMinute(minutes)}:${pad2(seconds - minutes * 60)}Z`;
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
    if (minute !== cachedMinute) {
      prefix = formatMinute(minute);
      cachedMinute = minute;
    }
    return `${prefix}:${pad2(seconds - minute * 60)}Z`;
  };
}

/** The wall time's calendar date, `YYYY-MM-DD`. */
export function formatWallDate(wall: WallTime): string {
  return isoDate(wall);
}
