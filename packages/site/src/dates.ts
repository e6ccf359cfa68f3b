import { SiteInputError } from './errors.ts';

// An RFC 3339 date-time (the ISO 8601 profile the model promises). Date.parse alone also takes
// 'December 1, 2020' or '+010000-01-01T00:00:00Z', whose year no feed date format can carry.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;
// RFC 822 and RFC 3339 dates have four-digit years, in UTC once rendered.
const EARLIEST = Date.parse('0000-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** Milliseconds since the epoch of an ISO 8601 instant, or a SiteInputError naming what was wrong. */
export function instantOf(iso: string, what: string): number {
  const ms = typeof iso === 'string' && RFC3339.test(iso) ? Date.parse(iso) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new SiteInputError(`${what}: publishedAt '${iso}' is not an ISO 8601 instant`);
  if (ms < EARLIEST || ms > LATEST) {
    throw new SiteInputError(`${what}: publishedAt '${iso}' is outside the years 0000 to 9999 (in UTC)`);
  }
  return ms;
}

/** RFC 3339 in UTC without a fractional part when there is none ('2020-12-01T09:19:00Z'). */
export function rfc3339(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** RFC 822 date as RSS 2.0 wants it ('Tue, 01 Dec 2020 09:19:00 GMT'). */
export function rfc822(ms: number): string {
  return new Date(ms).toUTCString();
}

const MONTHS = [
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
  const month = MONTHS[date.getUTCMonth()] ?? '';
  return `${date.getUTCDate()} ${month} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}
