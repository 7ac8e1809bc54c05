import { z } from 'zod';

/** The instants PostgreSQL stores and JavaScript's Date renders back as plain ISO 8601 (`YYYY-MM-DDTHH:mm:ss.sssZ`). */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
/**
 * One second short of year 10000: PostgreSQL rounds to microseconds, so `9999-12-31T23:59:59.9999999Z` would be stored
 * as 10000-01-01, which Date renders as `+010000-01-01T…`; Date.parse truncates to milliseconds, so an instant it
 * reads as at most this one is stored at most a millisecond later.
 */
const LATEST = Date.parse('9999-12-31T23:59:59Z');
/**
 * PostgreSQL 15 refuses a written year 0000 (SQLSTATE 22008) and an offset of 16 hours or more (22009); checked with
 * psql against PostgreSQL 15.20: `+15:59` is stored, `+16:00` and `+20:00` are not.
 */
const WRITTEN_YEAR_ZERO = /^0000-/;
const OFFSET_HOURS = /[+-](\d\d):\d\d$/;

function isStorable(value: string): boolean {
  const offsetHours = Number(OFFSET_HOURS.exec(value)?.[1] ?? 0);
  const instant = Date.parse(value);
  return !WRITTEN_YEAR_ZERO.test(value) && offsetHours <= 15 && instant >= EARLIEST && instant <= LATEST;
}

/**
 * An RFC 3339 date-time with `Z` or an offset that a PostgreSQL timestamptz column stores and gives back unchanged:
 * between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, offsets from -15:59 to +15:59.
 */
export const storableTimestamp = z.iso
  .datetime({ offset: true })
  .refine(isStorable, 'must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, with an offset of at most ±15:59');
