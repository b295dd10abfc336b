/**
 * Cron expressions for functions with `cron` triggers: `parseCron` validates an expression the way
 * Inngest Cloud's parser (robfig/cron, five fields) reads it and `nextFire` finds the next minute it
 * fires, in the expression's own time zone (`TZ=`/`CRON_TZ=` prefix, UTC by default).
 *
 * Time zones and daylight saving: a schedule fires at every real (UTC) minute whose local wall-clock
 * time in the zone matches. So a local time skipped by a spring-forward change never fires that day,
 * and a local time repeated by a fall-back change fires twice, once for each offset. Inngest Cloud
 * (robfig/cron) behaves the same way.
 */

/** A cron expression that cannot be used; the message names the expression and the bad part. */
export class CronError extends Error {
  override readonly name = "CronError";
}

/** A parsed cron expression. Sets hold the allowed local values of each field. */
export interface CronSchedule {
  readonly source: string;
  /** IANA zone the fields are read in. */
  readonly timeZone: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  /** 1-12. */
  readonly months: ReadonlySet<number>;
  /** 0-6, Sunday = 0 (a 7 in the expression is stored as 0). */
  readonly daysOfWeek: ReadonlySet<number>;
  /** The day field was `*` or `?`: the other day field alone decides (else either may match). */
  readonly dayOfMonthIsStar: boolean;
  readonly dayOfWeekIsStar: boolean;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Upper end of `*` and of `a/n` (day-of-week accepts 7 but `*` means 0-6). */
  readonly openMax: number;
  readonly names?: Readonly<Record<string, number>>;
  readonly allowsQuestionMark: boolean;
}

interface ParsedField {
  readonly values: Set<number>;
  readonly isStar: boolean;
}

const MONTH_NAMES: Readonly<Record<string, number>> = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
};

const DAY_NAMES: Readonly<Record<string, number>> = {
  SUN: 0,
  MON: 1,
  TUE: 2,
  WED: 3,
  THU: 4,
  FRI: 5,
  SAT: 6,
};

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59, openMax: 59, allowsQuestionMark: false },
  { name: "hour", min: 0, max: 23, openMax: 23, allowsQuestionMark: false },
  { name: "day-of-month", min: 1, max: 31, openMax: 31, allowsQuestionMark: true },
  { name: "month", min: 1, max: 12, openMax: 12, names: MONTH_NAMES, allowsQuestionMark: false },
  { name: "day-of-week", min: 0, max: 7, openMax: 6, names: DAY_NAMES, allowsQuestionMark: true },
];

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** Longest month of each month number; February counts its leap day. */
const MAX_DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
/** Longer than the longest gap between two February 29ths (2096 → 2104). */
const SEARCH_LIMIT_MS = 8 * 366 * DAY_MINUTES * MINUTE_MS;

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses a cron expression; throws a CronError naming the problem if it is not usable. */
export function parseCron(source: string): CronSchedule {
  const fail = (detail: string): never => {
    throw new CronError(`cron ${JSON.stringify(source)}: ${detail}`);
  };
  const tokens = source.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return fail("expression is empty");
  const timeZone = takeTimeZone(tokens, fail);
  const fields = expandMacro(tokens, fail);
  if (fields.length !== FIELDS.length) {
    fail(`expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  const [minute, hour, dom, month, dow] = FIELDS.map((spec, i) => parseField(fields[i] ?? "", spec, fail));
  if (!minute || !hour || !dom || !month || !dow) return fail("internal error: missing field");
  const schedule: CronSchedule = {
    source,
    timeZone,
    minutes: minute.values,
    hours: hour.values,
    daysOfMonth: dom.values,
    months: month.values,
    daysOfWeek: foldSunday(dow.values),
    dayOfMonthIsStar: dom.isStar,
    dayOfWeekIsStar: dow.isStar,
  };
  checkCanFire(schedule, fail);
  return schedule;
}

/** Removes a leading `TZ=<zone>` / `CRON_TZ=<zone>` token and returns the zone (default UTC). */
function takeTimeZone(tokens: string[], fail: (detail: string) => never): string {
  const first = tokens[0] ?? "";
  const prefix = ["TZ=", "CRON_TZ="].find((p) => first.startsWith(p));
  if (prefix === undefined) return "UTC";
  tokens.shift();
  const zone = first.slice(prefix.length);
  if (zone === "") fail(`${prefix} needs a time zone name, e.g. ${prefix}Europe/Paris`);
  if (tokens.length === 0) fail(`a schedule must follow ${prefix}${zone}`);
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
  } catch (err) {
    if (err instanceof RangeError) fail(`unknown time zone "${zone}"`);
    throw err;
  }
  return zone;
}

/**
 * A function trigger's schedule. Inngest Cloud refuses `@daily` and the other macros when an app
 * syncs (its scheduler could read them, its check at sync does not), so the engine refuses them too:
 * a function that syncs here syncs there.
 */
export function parseTriggerCron(source: string): CronSchedule {
  const schedule = parseCron(source);
  const macro = source
    .trim()
    .split(/\s+/)
    .find((token) => token.startsWith("@"));
  if (macro) {
    throw new CronError(
      `cron ${JSON.stringify(source)}: Inngest Cloud does not accept macros such as ${macro} in a trigger; write the five fields ("${MACROS[macro]}")`,
    );
  }
  return schedule;
}

/** Returns the five field strings, expanding a lone `@macro`. */
function expandMacro(tokens: readonly string[], fail: (detail: string) => never): string[] {
  const first = tokens[0] ?? "";
  if (!first.startsWith("@")) return [...tokens];
  const expansion = MACROS[first];
  if (expansion === undefined) {
    fail(`unknown macro "${first}" (expected one of ${Object.keys(MACROS).join(", ")})`);
  }
  if (tokens.length > 1)
    fail(`macro ${first} must stand alone, found "${tokens.slice(1).join(" ")}" after it`);
  return (expansion ?? "").split(" ");
}

/** Parses one field: a comma list of `*`, `?`, values, ranges, each with an optional `/step`. */
function parseField(text: string, spec: FieldSpec, fail: (detail: string) => never): ParsedField {
  const values = new Set<number>();
  let isStar = false;
  for (const item of text.split(",")) {
    if (item === "") fail(`${spec.name} "${text}" has an empty list item`);
    const part = parseItem(item, spec, fail);
    for (const v of part.values) values.add(v);
    isStar ||= part.isStar;
  }
  return { values, isStar };
}

/** One list item: `*`, `?`, `a`, `a-b`, each optionally followed by `/n`. */
function parseItem(item: string, spec: FieldSpec, fail: (detail: string) => never): ParsedField {
  const slashParts = item.split("/");
  if (slashParts.length > 2) fail(`${spec.name} "${item}" has more than one "/"`);
  const [base = "", stepText] = slashParts;
  const step = stepText === undefined ? 1 : parseStep(stepText, item, spec, fail);
  const wildcard = base === "*" || base === "?";
  if (base === "?" && !spec.allowsQuestionMark) {
    fail(`"?" is only allowed in day-of-month and day-of-week, not in ${spec.name}`);
  }
  const [start, end] = wildcard
    ? [spec.min, spec.openMax]
    : parseRange(base, stepText !== undefined, item, spec, fail);
  const values = new Set<number>();
  for (let v = start; v <= end; v += step) values.add(v);
  // As in robfig/cron: `*` and `*/1` leave the field unrestricted, `*/2` restricts it.
  return { values, isStar: wildcard && step === 1 };
}

function parseStep(text: string, item: string, spec: FieldSpec, fail: (detail: string) => never): number {
  if (!/^\d+$/.test(text)) fail(`${spec.name} step "${text}" in "${item}" is not a whole number`);
  const step = Number(text);
  if (step < 1) fail(`${spec.name} step in "${item}" must be at least 1`);
  return step;
}

/** `a`, or `a-b`; a lone `a` with a step runs to the field's end. Returns [start, end]. */
function parseRange(
  base: string,
  hasStep: boolean,
  item: string,
  spec: FieldSpec,
  fail: (detail: string) => never,
): [number, number] {
  const ends = base.split("-");
  if (ends.length > 2) fail(`${spec.name} "${item}" has more than one "-"`);
  const [startText = "", endText] = ends;
  if (startText === "" || endText === "") fail(`${spec.name} range "${item}" is missing a number`);
  const start = parseValue(startText, spec, fail);
  if (endText === undefined) return [start, hasStep ? Math.max(start, spec.openMax) : start];
  const end = parseValue(endText, spec, fail);
  if (start > end) fail(`${spec.name} range "${item}" is reversed (${start} is after ${end})`);
  return [start, end];
}

/** A number or, for month and day-of-week, a three-letter English name (any case). */
function parseValue(text: string, spec: FieldSpec, fail: (detail: string) => never): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) {
      fail(`${spec.name} ${text} is out of range ${spec.min}-${spec.max}`);
    }
    return value;
  }
  const named = spec.names?.[text.toUpperCase()];
  if (named !== undefined) return named;
  const hint = spec.names ? ` or name (${Object.keys(spec.names).join(", ")})` : "";
  return fail(`${spec.name} "${text}" is not a number${hint}`);
}

function foldSunday(days: ReadonlySet<number>): Set<number> {
  return new Set([...days].map((d) => (d === 7 ? 0 : d)));
}

/** Rejects day-of-month/month combinations that never occur, e.g. `0 0 30 2 *`. */
function checkCanFire(s: CronSchedule, fail: (detail: string) => never): void {
  // With both day fields restricted either may match, and every weekday occurs in every month.
  if (!s.dayOfWeekIsStar && !s.dayOfMonthIsStar) return;
  for (const month of s.months) {
    for (const day of s.daysOfMonth) {
      if (day <= (MAX_DAYS_IN_MONTH[month] ?? 0)) return;
    }
  }
  fail(
    `never fires: no allowed month (${[...s.months].join(",")}) has any allowed day-of-month ` +
      `(${[...s.daysOfMonth].join(",")})`,
  );
}

// ---------------------------------------------------------------------------------------------
// Local time in a zone

interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** Local minus UTC, in ms. */
  readonly offsetMs: number;
}

/** A UTC minute boundary and the local time there. */
interface Instant {
  readonly utcMs: number;
  readonly local: LocalTime;
}

interface Clock {
  localTime(utcMs: number): LocalTime;
  /**
   * Moves `minutes` of local time forward from `from`, assuming the UTC offset stays as it is. If the
   * offset changes on the way, stops instead at the first minute with the new offset, so that no
   * local time is jumped over; the caller then looks again from there.
   */
  advance(from: Instant, minutes: number): Instant;
}

/** Reads the fields of `wall`, a Date whose UTC fields hold the local time of `utcMs`. */
function localFromWall(wall: Date, utcMs: number): LocalTime {
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
    offsetMs: wall.getTime() - utcMs,
  };
}

const UTC_CLOCK: Clock = {
  localTime: (utcMs) => localFromWall(new Date(utcMs), utcMs),
  advance: (from, minutes) => {
    const utcMs = from.utcMs + minutes * MINUTE_MS;
    return { utcMs, local: localFromWall(new Date(utcMs), utcMs) };
  },
};

const clocks = new Map<string, Clock>();

function clockFor(timeZone: string): Clock {
  if (timeZone === "UTC") return UTC_CLOCK;
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = zoneClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** "3/29/2026, 02:30" from en-US with h23: month, day, year, hour, minute. */
const WALL_TEXT = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+)$/;

function zoneClock(timeZone: string): Clock {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  /** `format` + a regex is several times faster than `formatToParts`, which is the fallback. */
  const wallFields = (utcMs: number): number[] => {
    const m = WALL_TEXT.exec(format.format(utcMs));
    if (m) return [m[3], m[1], m[2], m[4], m[5]].map(Number);
    const parts = format.formatToParts(utcMs);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return [get("year"), get("month"), get("day"), get("hour"), get("minute")];
  };
  const localTime = (utcMs: number): LocalTime => {
    const [year = 0, month = 1, day = 1, hour = 0, minute = 0] = wallFields(utcMs);
    return localFromWall(new Date(Date.UTC(year, month - 1, day, hour, minute)), utcMs);
  };
  const instant = (utcMs: number): Instant => ({ utcMs, local: localTime(utcMs) });
  const advance = (from: Instant, minutes: number): Instant => {
    const to = instant(from.utcMs + minutes * MINUTE_MS);
    if (to.local.offsetMs === from.local.offsetMs) return to;
    // Binary search for the first minute with a different offset.
    let lo = from.utcMs;
    let hi = to;
    while (hi.utcMs - lo > MINUTE_MS) {
      const mid = instant(lo + Math.floor((hi.utcMs - lo) / 2 / MINUTE_MS) * MINUTE_MS);
      if (mid.local.offsetMs === from.local.offsetMs) lo = mid.utcMs;
      else hi = mid;
    }
    return hi;
  };
  return { localTime, advance };
}

// ---------------------------------------------------------------------------------------------
// Finding the next fire time

/**
 * The first minute boundary strictly after `afterMs` (epoch ms) whose local time in the schedule's
 * zone matches, as epoch ms. Skips whole months, days and hours that cannot match, so rare
 * schedules (`0 0 29 2 *`) cost little more than frequent ones.
 */
export function nextFire(schedule: CronSchedule, afterMs: number): number {
  if (!Number.isFinite(afterMs)) throw new Error(`nextFire: afterMs must be a finite number, got ${afterMs}`);
  const clock = clockFor(schedule.timeZone);
  const startMs = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const limit = startMs + SEARCH_LIMIT_MS;
  let at: Instant = { utcMs: startMs, local: clock.localTime(startMs) };
  while (at.utcMs <= limit) {
    const skip = minutesToNextCandidate(schedule, at.local);
    if (skip === 0) return at.utcMs;
    at = clock.advance(at, skip);
  }
  throw new Error(`cron ${JSON.stringify(schedule.source)}: found no fire time within 8 years of ${afterMs}`);
}

/**
 * 0 if `local` matches, else how many minutes of local time can be skipped without missing a match.
 * Never skips past the start of the next month, so a skip crosses at most one offset change.
 */
function minutesToNextCandidate(s: CronSchedule, local: LocalTime): number {
  const minutesIntoDay = local.hour * 60 + local.minute;
  if (!s.months.has(local.month)) {
    return (daysInMonth(local.year, local.month) - local.day + 1) * DAY_MINUTES - minutesIntoDay;
  }
  if (!dayMatches(s, local.day, local.weekday)) return daysToNextDay(s, local) * DAY_MINUTES - minutesIntoDay;
  if (!s.hours.has(local.hour)) return stepsToNext(s.hours, local.hour, 24) * 60 - local.minute;
  if (!s.minutes.has(local.minute)) return stepsToNext(s.minutes, local.minute, 60);
  return 0;
}

/** Vixie cron: with both day fields restricted, either may match; otherwise both must. */
function dayMatches(s: CronSchedule, day: number, weekday: number): boolean {
  const dom = s.daysOfMonth.has(day);
  const dow = s.daysOfWeek.has(weekday);
  return s.dayOfMonthIsStar || s.dayOfWeekIsStar ? dom && dow : dom || dow;
}

/** Days from `local` to the next matching day of its month, or to the first of the next month. */
function daysToNextDay(s: CronSchedule, local: LocalTime): number {
  const last = daysInMonth(local.year, local.month);
  for (let day = local.day + 1; day <= last; day++) {
    const ahead = day - local.day;
    if (dayMatches(s, day, (local.weekday + ahead) % 7)) return ahead;
  }
  return last - local.day + 1;
}

/** Distance from `current` to the next allowed value below `size`, or to `size` if there is none. */
function stepsToNext(allowed: ReadonlySet<number>, current: number, size: number): number {
  for (let v = current + 1; v < size; v++) {
    if (allowed.has(v)) return v - current;
  }
  return size - current;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
