/**
 * Formatting instants and wall times: the digest's times as feeds and messages write them.
 */
import type { WallTime } from './date-line.ts';

const pad = (n: number, width = 2): string => {
  const digits = `${n}`;
  return digits.length >= width ? digits : '0'.repeat(width - digits.length) + digits;
};
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
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}

/** The wall time's clock, `HH:MM`. */
export function formatWallClock(wall: WallTime): string {
  return `${pad(wall.hour)}:${pad(wall.minute)}`;
}
