/**
 * The gallery's from/to dates as both sides read them: the API validates with them (query.ts) and the
 * page says why a range can match nothing. Client-safe (no server imports).
 */

export const FIRST_YEAR = 1970;
export const LAST_YEAR = 9999;
/** The last moment a filter may name: Postgres misreads the six-digit years toISOString writes past it. */
const LATEST = Date.UTC(LAST_YEAR, 11, 31, 23, 59, 59, 999);
/** A day, or a time on it with its zone (Z or ±HH:MM): never a guess at local time. */
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const BARE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The moment `v` names, when it is a real calendar date (2026-02-31 is not) from 1970 to 9999, or null. */
export function strictDate(v: string): Date | null {
  const m = ISO_DATE.exec(v);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const midnight = new Date(Date.UTC(year, month - 1, day));
  if (year < FIRST_YEAR || midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return null;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) || at.getTime() > LATEST ? null : at;
}

/**
 * Where a "to" filter ends (exclusive), or null when it is no date: a bare date means the whole day
 * (up to the last moment a filter may name), a time means that moment.
 */
export function endOf(to: string): Date | null {
  const at = strictDate(to);
  if (at && BARE_DATE.test(to)) at.setTime(Math.min(at.getTime() + 86_400_000, LATEST));
  return at;
}

/**
 * True when `from` and `to` are both dates and no moment is on or after `from` and before the end of
 * `to` (From after To, or the same moment): such a range matches no image.
 */
export function datesReversed(from: string | undefined, to: string | undefined): boolean {
  const start = from === undefined ? null : strictDate(from);
  const end = to === undefined ? null : endOf(to);
  return start !== null && end !== null && start.getTime() >= end.getTime();
}

const dayFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** A filter date as the page says it: "8 Dec 2026" for a day; a time as it was given. */
export function dateText(v: string): string {
  const at = strictDate(v);
  return at && BARE_DATE.test(v) ? dayFormat.format(at) : v;
}
