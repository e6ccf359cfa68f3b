/**
 * Reading a digest's date line into a wall time (a date and clock time with no zone).
 */
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

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}
