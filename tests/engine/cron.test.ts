import { describe, expect, it } from "vitest";
import { CronError, nextFire, parseCron, type CronSchedule } from "@/engine/cron";

const MINUTE = 60_000;
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

/** The first `count` fire times of `expr` strictly after `fromIso`, as ISO strings. */
function fires(expr: string, fromIso: string, count: number): string[] {
  const schedule = parseCron(expr);
  const out: string[] = [];
  let t = at(fromIso);
  for (let i = 0; i < count; i++) {
    t = nextFire(schedule, t);
    out.push(iso(t));
  }
  return out;
}

const first = (expr: string, fromIso: string): string => fires(expr, fromIso, 1)[0] ?? "";

interface WallMinute {
  readonly utcMs: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

/** Every minute after `fromMs` up to `toMs` with its wall-clock time in `timeZone`, read by formatToParts. */
function wallMinutes(timeZone: string, fromMs: number, toMs: number): WallMinute[] {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const out: WallMinute[] = [];
  for (let utcMs = Math.floor(fromMs / MINUTE) * MINUTE + MINUTE; utcMs <= toMs; utcMs += MINUTE) {
    const f: Record<string, number> = {};
    for (const p of format.formatToParts(utcMs)) f[p.type] = Number(p.value);
    const { year = 0, month = 0, day = 0, hour = 0, minute = 0 } = f;
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    out.push({ utcMs, month, day, hour, minute, weekday });
  }
  return out;
}

/** Reference implementation: test every minute against the schedule's sets. */
function naiveFires(s: CronSchedule, minutes: readonly WallMinute[]): string[] {
  const matches = (w: WallMinute): boolean => {
    const dom = s.daysOfMonth.has(w.day);
    const dow = s.daysOfWeek.has(w.weekday);
    const dayOk = s.dayOfMonthIsStar || s.dayOfWeekIsStar ? dom && dow : dom || dow;
    return dayOk && s.minutes.has(w.minute) && s.hours.has(w.hour) && s.months.has(w.month);
  };
  return minutes.filter(matches).map((w) => iso(w.utcMs));
}

describe("cron: macros", () => {
  const from = "2026-05-15T10:30:00Z"; // a Friday
  it.each([
    ["@yearly", "2027-01-01T00:00:00.000Z"],
    ["@annually", "2027-01-01T00:00:00.000Z"],
    ["@monthly", "2026-06-01T00:00:00.000Z"],
    ["@weekly", "2026-05-17T00:00:00.000Z"],
    ["@daily", "2026-05-16T00:00:00.000Z"],
    ["@midnight", "2026-05-16T00:00:00.000Z"],
    ["@hourly", "2026-05-15T11:00:00.000Z"],
  ])("%s", (macro, expected) => {
    expect(first(macro, from)).toBe(expected);
  });

  it("expands to the same schedule as the equivalent fields", () => {
    const pairs: [string, string][] = [
      ["@yearly", "0 0 1 1 *"],
      ["@monthly", "0 0 1 * *"],
      ["@weekly", "0 0 * * 0"],
      ["@daily", "0 0 * * *"],
      ["@hourly", "0 * * * *"],
    ];
    for (const [macro, fields] of pairs) {
      expect(fires(macro, from, 5)).toEqual(fires(fields, from, 5));
    }
  });

  it("works with a time zone prefix", () => {
    // Paris is UTC+2 in May: local midnight is 22:00Z the day before.
    expect(first("TZ=Europe/Paris @daily", from)).toBe("2026-05-15T22:00:00.000Z");
  });
});

describe("cron: fields", () => {
  const from = "2026-05-15T10:30:00Z";

  it("steps over the whole field", () => {
    expect(fires("*/15 * * * *", from, 3)).toEqual([
      "2026-05-15T10:45:00.000Z",
      "2026-05-15T11:00:00.000Z",
      "2026-05-15T11:15:00.000Z",
    ]);
  });

  it("steps over a range", () => {
    expect(fires("5-20/5 * * * *", from, 5)).toEqual([
      "2026-05-15T11:05:00.000Z",
      "2026-05-15T11:10:00.000Z",
      "2026-05-15T11:15:00.000Z",
      "2026-05-15T11:20:00.000Z",
      "2026-05-15T12:05:00.000Z",
    ]);
    expect(fires("0 9-17/4 * * *", from, 3)).toEqual([
      "2026-05-15T13:00:00.000Z",
      "2026-05-15T17:00:00.000Z",
      "2026-05-16T09:00:00.000Z",
    ]);
  });

  it("steps from a start value to the end of the field (a/n)", () => {
    expect(fires("50/5 * * * *", from, 3)).toEqual([
      "2026-05-15T10:50:00.000Z",
      "2026-05-15T10:55:00.000Z",
      "2026-05-15T11:50:00.000Z",
    ]);
    expect([...parseCron("50/5 * * * *").minutes]).toEqual([50, 55]);
  });

  it("accepts comma lists mixing values and ranges", () => {
    expect(fires("15,45 1,2 * * *", from, 5)).toEqual([
      "2026-05-16T01:15:00.000Z",
      "2026-05-16T01:45:00.000Z",
      "2026-05-16T02:15:00.000Z",
      "2026-05-16T02:45:00.000Z",
      "2026-05-17T01:15:00.000Z",
    ]);
    expect([...parseCron("1-3,10,20-22/2 * * * *").minutes]).toEqual([1, 2, 3, 10, 20, 22]);
  });

  it("accepts month names in any case, in lists and ranges", () => {
    expect(fires("0 0 1 JAN-MAR,jun *", from, 5)).toEqual([
      "2026-06-01T00:00:00.000Z",
      "2027-01-01T00:00:00.000Z",
      "2027-02-01T00:00:00.000Z",
      "2027-03-01T00:00:00.000Z",
      "2027-06-01T00:00:00.000Z",
    ]);
    expect(parseCron("0 0 1 Dec *").months).toEqual(new Set([12]));
  });

  it("accepts day names in any case, in lists and ranges", () => {
    expect(fires("0 12 * * MON-FRI", from, 3)).toEqual([
      "2026-05-15T12:00:00.000Z",
      "2026-05-18T12:00:00.000Z",
      "2026-05-19T12:00:00.000Z",
    ]);
    expect(fires("0 0 * * sun,Sat", from, 3)).toEqual([
      "2026-05-16T00:00:00.000Z",
      "2026-05-17T00:00:00.000Z",
      "2026-05-23T00:00:00.000Z",
    ]);
  });

  it("accepts Sunday as 0, 7 and SUN", () => {
    const from = "2026-04-01T00:00:00Z"; // a Wednesday
    const sundays = ["2026-04-05T00:00:00.000Z", "2026-04-12T00:00:00.000Z"];
    expect(fires("0 0 * * 0", from, 2)).toEqual(sundays);
    expect(fires("0 0 * * 7", from, 2)).toEqual(sundays);
    expect(fires("0 0 * * SUN", from, 2)).toEqual(sundays);
    expect(parseCron("0 0 * * 7").daysOfWeek).toEqual(new Set([0]));
    expect(fires("0 0 * * 5-7", from, 4)).toEqual([
      "2026-04-03T00:00:00.000Z",
      "2026-04-04T00:00:00.000Z",
      "2026-04-05T00:00:00.000Z",
      "2026-04-10T00:00:00.000Z",
    ]);
    // `*` in day-of-week is 0-6, so a step over it never counts Sunday twice.
    expect(parseCron("0 0 * * */2").daysOfWeek).toEqual(new Set([0, 2, 4, 6]));
    expect(parseCron("0 0 * * 1/3").daysOfWeek).toEqual(new Set([1, 4]));
  });

  it("treats ? as * in the day fields", () => {
    expect(fires("0 0 13 * ?", "2026-04-01T00:00:00Z", 2)).toEqual(
      fires("0 0 13 * *", "2026-04-01T00:00:00Z", 2),
    );
    expect(fires("0 0 ? * 1", "2026-04-01T00:00:00Z", 2)).toEqual(
      fires("0 0 * * 1", "2026-04-01T00:00:00Z", 2),
    );
  });

  it("allows extra whitespace around and between fields", () => {
    expect(first("  0   12 \t * *   *  \n", from)).toBe("2026-05-15T12:00:00.000Z");
    expect(parseCron("  0   12 \t * *   *  \n").timeZone).toBe("UTC");
  });

  it("keeps the source and time zone on the schedule", () => {
    const s = parseCron("CRON_TZ=Asia/Tokyo 0 9 * * *");
    expect(s.source).toBe("CRON_TZ=Asia/Tokyo 0 9 * * *");
    expect(s.timeZone).toBe("Asia/Tokyo");
    expect(parseCron("TZ=America/New_York 0 9 * * *").timeZone).toBe("America/New_York");
    expect(parseCron("0 9 * * *").timeZone).toBe("UTC");
  });
});

describe("cron: day-of-month and day-of-week (Vixie rule)", () => {
  const from = "2026-04-01T00:00:00Z"; // April 13th 2026 is a Monday

  it("fires on either when both are restricted", () => {
    expect(fires("0 0 13 * 5", from, 8)).toEqual([
      "2026-04-03T00:00:00.000Z",
      "2026-04-10T00:00:00.000Z",
      "2026-04-13T00:00:00.000Z",
      "2026-04-17T00:00:00.000Z",
      "2026-04-24T00:00:00.000Z",
      "2026-05-01T00:00:00.000Z",
      "2026-05-08T00:00:00.000Z",
      "2026-05-13T00:00:00.000Z",
    ]);
  });

  it("lets the other field alone decide when one is *", () => {
    expect(fires("0 0 13 * *", from, 2)).toEqual(["2026-04-13T00:00:00.000Z", "2026-05-13T00:00:00.000Z"]);
    expect(fires("0 0 * * 5", from, 2)).toEqual(["2026-04-03T00:00:00.000Z", "2026-04-10T00:00:00.000Z"]);
  });

  it("counts */n with n > 1 as a restriction and */1 as *, as Inngest Cloud (robfig/cron) does", () => {
    expect(fires("0 0 */10 * 1", "2026-03-31T12:00:00Z", 8)).toEqual([
      "2026-04-01T00:00:00.000Z",
      "2026-04-06T00:00:00.000Z",
      "2026-04-11T00:00:00.000Z",
      "2026-04-13T00:00:00.000Z",
      "2026-04-20T00:00:00.000Z",
      "2026-04-21T00:00:00.000Z",
      "2026-04-27T00:00:00.000Z",
      "2026-05-01T00:00:00.000Z",
    ]);
    expect(fires("0 0 */1 * 1", from, 2)).toEqual(["2026-04-06T00:00:00.000Z", "2026-04-13T00:00:00.000Z"]);
  });
});

describe("cron: rare schedules", () => {
  it("finds the next leap day", () => {
    expect(fires("0 0 29 2 *", "2026-01-01T00:00:00Z", 2)).toEqual([
      "2028-02-29T00:00:00.000Z",
      "2032-02-29T00:00:00.000Z",
    ]);
    // 2100 is not a leap year: the longest gap there is.
    expect(first("0 0 29 2 *", "2096-03-01T00:00:00Z")).toBe("2104-02-29T00:00:00.000Z");
  });

  it("skips months without a 31st", () => {
    expect(fires("0 0 31 * *", "2026-01-31T00:00:00Z", 6)).toEqual([
      "2026-03-31T00:00:00.000Z",
      "2026-05-31T00:00:00.000Z",
      "2026-07-31T00:00:00.000Z",
      "2026-08-31T00:00:00.000Z",
      "2026-10-31T00:00:00.000Z",
      "2026-12-31T00:00:00.000Z",
    ]);
  });

  it("accepts February 30th when day-of-week may match instead", () => {
    // Both day fields are restricted, so Mondays in February fire.
    expect(first("0 0 30 2 1", "2026-01-01T00:00:00Z")).toBe("2026-02-02T00:00:00.000Z");
  });

  it("answers 1000 leap-day queries with the right values", () => {
    const schedule = parseCron("0 0 29 2 *");
    const start = at("2026-01-01T00:00:00Z");
    const span = at("2028-02-28T23:59:00Z") - start;
    const expected = at("2028-02-29T00:00:00Z");
    for (let i = 0; i < 1000; i++) {
      expect(nextFire(schedule, start + Math.floor((span * i) / 1000))).toBe(expected);
    }
  });

  it("chains leap days in a DST zone too", () => {
    const schedule = parseCron("TZ=Europe/Paris 0 0 29 2 *");
    let t = at("2026-01-01T00:00:00Z");
    const years: number[] = [];
    for (let i = 0; i < 100; i++) {
      t = nextFire(schedule, t);
      const d = new Date(t + 3_600_000); // Paris is UTC+1 in February
      expect([d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()]).toEqual([1, 29, 0, 0]);
      years.push(d.getUTCFullYear());
    }
    expect(years.slice(0, 3)).toEqual([2028, 2032, 2036]);
    expect(years).not.toContain(2100);
    expect(years).toContain(2104);
  });
});

describe("cron: strictly after afterMs", () => {
  it("returns the next match when afterMs is exactly on one", () => {
    expect(first("0 * * * *", "2026-05-15T11:00:00Z")).toBe("2026-05-15T12:00:00.000Z");
    expect(first("* * * * *", "2026-05-15T10:30:00Z")).toBe("2026-05-15T10:31:00.000Z");
  });

  it("handles seconds and milliseconds in afterMs", () => {
    expect(first("0 * * * *", "2026-05-15T11:00:00.001Z")).toBe("2026-05-15T12:00:00.000Z");
    expect(first("0 * * * *", "2026-05-15T10:59:59.999Z")).toBe("2026-05-15T11:00:00.000Z");
    expect(first("* * * * *", "2026-05-15T10:30:45Z")).toBe("2026-05-15T10:31:00.000Z");
    expect(first("30 10 * * *", "2026-05-15T10:29:30Z")).toBe("2026-05-15T10:30:00.000Z");
  });

  it("rejects a non-finite afterMs", () => {
    expect(() => nextFire(parseCron("* * * * *"), Number.NaN)).toThrow(/finite/);
  });
});

describe("cron: time zones", () => {
  it("reads the fields in the zone (Europe/Paris, winter and summer)", () => {
    expect(first("TZ=Europe/Paris 0 12 * * 5", "2026-01-05T00:00:00Z")).toBe("2026-01-09T11:00:00.000Z");
    expect(first("TZ=Europe/Paris 0 12 * * 5", "2026-06-29T00:00:00Z")).toBe("2026-07-03T10:00:00.000Z");
    expect(first("CRON_TZ=Europe/Paris 0 12 * * 5", "2026-06-29T00:00:00Z")).toBe("2026-07-03T10:00:00.000Z");
  });

  it("follows the Paris offset across the March change", () => {
    expect(fires("TZ=Europe/Paris 0 12 * * *", "2026-03-28T00:00:00Z", 3)).toEqual([
      "2026-03-28T11:00:00.000Z",
      "2026-03-29T10:00:00.000Z",
      "2026-03-30T10:00:00.000Z",
    ]);
  });

  it("follows America/New_York across the March change", () => {
    // 2026-03-08: 02:00 EST (UTC-5) jumps to 03:00 EDT (UTC-4).
    expect(fires("TZ=America/New_York 0 9 * * *", "2026-03-07T00:00:00Z", 3)).toEqual([
      "2026-03-07T14:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
    ]);
    expect(fires("TZ=America/New_York */30 * * * *", "2026-03-08T06:00:00Z", 3)).toEqual([
      "2026-03-08T06:30:00.000Z", // 01:30 EST
      "2026-03-08T07:00:00.000Z", // 03:00 EDT
      "2026-03-08T07:30:00.000Z", // 03:30 EDT
    ]);
    expect(first("TZ=America/New_York 0 3 * * *", "2026-03-08T05:00:00Z")).toBe("2026-03-08T07:00:00.000Z");
  });

  it("skips a local time that spring-forward removes", () => {
    expect(fires("TZ=America/New_York 30 2 * * *", "2026-03-07T00:00:00Z", 2)).toEqual([
      "2026-03-07T07:30:00.000Z", // 02:30 EST
      "2026-03-09T06:30:00.000Z", // 02:30 EDT; 2026-03-08 has no 02:30
    ]);
  });

  it("fires twice for a local time that fall-back repeats", () => {
    // 2026-11-01: 02:00 EDT falls back to 01:00 EST.
    expect(fires("TZ=America/New_York 30 1 * * *", "2026-10-31T12:00:00Z", 3)).toEqual([
      "2026-11-01T05:30:00.000Z", // 01:30 EDT
      "2026-11-01T06:30:00.000Z", // 01:30 EST
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("handles zones with a half-hour offset", () => {
    expect(first("TZ=Asia/Kolkata 0 9 * * *", "2026-05-15T00:00:00Z")).toBe("2026-05-15T03:30:00.000Z");
  });

  // Cross-check against a minute-by-minute walk around DST changes (Lord Howe shifts by 30 minutes).
  const windows: [string, string][] = [
    ["UTC", "2026-02-27T00:00:00Z"],
    ["America/New_York", "2026-03-07T00:00:00Z"],
    ["America/New_York", "2026-10-31T00:00:00Z"],
    ["Europe/Paris", "2026-03-28T00:00:00Z"],
    ["Europe/Paris", "2026-10-24T00:00:00Z"],
    ["Australia/Lord_Howe", "2026-04-04T00:00:00Z"],
    ["Australia/Lord_Howe", "2026-10-03T00:00:00Z"],
    ["Asia/Kolkata", "2026-05-15T00:00:00Z"],
  ];
  const exprs = ["*/7 * * * *", "30 2 * * *", "0,30 1-3 * * *", "15 */2 * * *", "0 0 * * *", "45 1 1,2 * 0"];
  it.each(windows)("matches a minute-by-minute walk in %s from %s", (zone, fromIso) => {
    const fromMs = at(fromIso);
    const toMs = fromMs + 3 * 24 * 60 * MINUTE;
    const minutes = wallMinutes(zone, fromMs, toMs);
    for (const expr of exprs) {
      const schedule = parseCron(`TZ=${zone} ${expr}`);
      const expected = naiveFires(schedule, minutes);
      const actual: string[] = [];
      for (let t = nextFire(schedule, fromMs); t <= toMs; t = nextFire(schedule, t)) actual.push(iso(t));
      expect(actual, `${zone} ${expr}`).toEqual(expected);
    }
  });
});

describe("cron: invalid expressions", () => {
  it("reports the expression and the bad part", () => {
    expect(() => parseCron("61 * * * *")).toThrow(
      new CronError('cron "61 * * * *": minute 61 is out of range 0-59'),
    );
  });

  it("throws a CronError named CronError", () => {
    let caught: unknown;
    try {
      parseCron("* * *");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CronError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe("CronError");
  });

  it.each([
    ["", "expression is empty"],
    ["   ", "expression is empty"],
    ["* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"],
    ["* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6"],
    ["* 24 * * *", "hour 24 is out of range 0-23"],
    ["* * 0 * *", "day-of-month 0 is out of range 1-31"],
    ["* * 32 * *", "day-of-month 32 is out of range 1-31"],
    ["* * * 13 *", "month 13 is out of range 1-12"],
    ["* * * 0 *", "month 0 is out of range 1-12"],
    ["* * * * 8", "day-of-week 8 is out of range 0-7"],
    ["5-2 * * * *", 'minute range "5-2" is reversed (5 is after 2)'],
    ["* * * * FRI-MON", 'day-of-week range "FRI-MON" is reversed (5 is after 1)'],
    ["*/0 * * * *", 'minute step in "*/0" must be at least 1'],
    ["0 1-5/0 * * *", 'hour step in "1-5/0" must be at least 1'],
    ["*/x * * * *", 'minute step "x" in "*/x" is not a whole number'],
    ["1,,2 * * * *", 'minute "1,,2" has an empty list item'],
    ["1, * * * *", 'minute "1," has an empty list item'],
    ["0 0 ,1 * *", 'day-of-month ",1" has an empty list item'],
    ["-5 * * * *", 'minute range "-5" is missing a number'],
    ["5- * * * *", 'minute range "5-" is missing a number'],
    ["1-2-3 * * * *", 'minute "1-2-3" has more than one "-"'],
    ["*/2/3 * * * *", 'minute "*/2/3" has more than one "/"'],
    ["1.5 * * * *", 'minute "1.5" is not a number'],
    ["*-5 * * * *", 'minute "*" is not a number'],
    ["* * * FOO *", 'month "FOO" is not a number or name (JAN, FEB,'],
    ["* * * JANUARY *", 'month "JANUARY" is not a number or name'],
    ["* * * * FUNDAY", 'day-of-week "FUNDAY" is not a number or name (SUN, MON,'],
    ["MON * * * *", 'minute "MON" is not a number'],
    ["? * * * *", '"?" is only allowed in day-of-month and day-of-week, not in minute'],
    ["0 0 1 ? *", '"?" is only allowed in day-of-month and day-of-week, not in month'],
    ["@every 1h", 'unknown macro "@every"'],
    ["@fortnightly", 'unknown macro "@fortnightly" (expected one of @yearly, @annually,'],
    ["@DAILY", 'unknown macro "@DAILY"'],
    ["@daily 5", 'macro @daily must stand alone, found "5" after it'],
    ["TZ=Mars/Base * * * * *", 'unknown time zone "Mars/Base"'],
    ["CRON_TZ=Nowhere @daily", 'unknown time zone "Nowhere"'],
    ["TZ= * * * * *", "TZ= needs a time zone name"],
    ["TZ=Europe/Paris", "a schedule must follow TZ=Europe/Paris"],
    ["TZ=Europe/Paris TZ=UTC * * * *", 'minute "TZ=UTC" is not a number'],
    ["0 0 30 2 *", "never fires: no allowed month (2) has any allowed day-of-month (30)"],
    ["0 0 31 2,4,6,9,11 *", "never fires"],
    ["0 0 30,31 FEB ?", "never fires"],
  ])("%j", (expr, fragment) => {
    let caught: unknown;
    try {
      parseCron(expr);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CronError);
    const message = (caught as CronError).message;
    expect(message.startsWith(`cron ${JSON.stringify(expr)}: `)).toBe(true);
    expect(message).toContain(fragment);
  });
});
