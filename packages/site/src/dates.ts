import { remembered } from '@feedwright/digest';

/** RFC 3339 in UTC without a fractional part when there is none ('2020-12-01T09:19:00Z'). */
export const rfc3339: (ms: number) => string = remembered((ms: number) => {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
});

/** RFC 822 date as RSS 2.0 wants it ('Tue, 01 Dec 2020 09:19:00 GMT'). */
export const rfc822: (ms: number) => string = remembered((ms: number) => new Date(ms).toUTCString());

/** English month names, January first, for dates shown to people. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** A date for people, in UTC and independent of the machine's locale: '1 December 2020, 09:19 UTC'. */
export function readableDate(ms: number): string {
  const date = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const month = MONTH_NAMES[date.getUTCMonth()] ?? '';
  return `${date.getUTCDate()} ${month} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}
