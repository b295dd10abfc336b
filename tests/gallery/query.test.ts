import { describe, expect, it } from "vitest";
import { checkAdmin, parseDeleteRequest } from "@/lib/gallery/delete";
import {
  appendUnique,
  hasFilters,
  issuesText,
  loadError,
  readBatchSearch,
  readFilters,
  readLimit,
  toSearch,
  withBatchSearch,
} from "@/lib/gallery/filters";
import { dateText, datesReversed } from "@/lib/gallery/dates";
import { networkFailure, queryFixes, refusedQuery, responseFailure } from "@/lib/gallery/load-failure";
import { resolveModel } from "@/lib/catalog/models";
import { parseImageQuery } from "@/lib/gallery/query";

describe("parseImageQuery", () => {
  it("accepts every filter and turns dates into a half-open range", () => {
    const q = parseImageQuery(
      new URLSearchParams(
        "model=local-preview&style=anime&template=bottom-bar&batch=abc_DEF-1&from=2026-01-02&to=2026-01-05&limit=10",
      ),
    );
    expect(q).toEqual({
      ok: true,
      value: {
        cursor: undefined,
        limit: 10,
        model: "local-preview",
        style: "anime",
        template: "bottom-bar",
        batchId: "abc_DEF-1",
        from: new Date("2026-01-02T00:00:00Z"),
        // A bare "to" date includes that whole day.
        to: new Date("2026-01-06T00:00:00Z"),
      },
    });
  });

  it("treats empty values (a submitted form with 'All') as no filter", () => {
    const q = parseImageQuery({ model: "", style: " ", batch: "", from: "", to: "" });
    expect(q.ok && q.value).toMatchObject({
      model: undefined,
      style: undefined,
      batchId: undefined,
      from: undefined,
    });
  });

  it("refuses a model, style or template no catalog lists, naming the field", () => {
    const q = parseImageQuery({ model: "nope", style: "comic", template: "zigzag" });
    expect(!q.ok && q.issues.map((i) => i.path)).toEqual(["model", "style", "template"]);
    expect(!q.ok && q.issues[0]!.message).toMatch(/^model "nope" is not one of local-preview, /);
    expect(!q.ok && q.issues[1]!.message).toMatch(/^style "comic" is not one of .*anime/);
  });

  it("keeps a retired model id as a filter: its own images and its successor's, as the catalog resolves it", () => {
    const q = parseImageQuery({ model: "gpt-image-1" });
    expect(q.ok && q.value.model).toEqual(["gpt-image-1", resolveModel("gpt-image-1").model.id]);
    expect(q.ok && resolveModel("gpt-image-1").model.id).not.toBe("gpt-image-1");
  });

  it("says what a date must be, and why text cannot be searched", () => {
    const q = parseImageQuery({ from: "2026-02-31", q: "\u0000" });
    expect(!q.ok && q.issues).toEqual([
      { path: "q", message: "q (text the title contains) contains a NUL character (U+0000); remove it" },
      {
        path: "from",
        message:
          "from must be a real date from 1970 to 9999: YYYY-MM-DD, or ISO 8601 with a time zone (2026-01-31T12:00:00Z)",
      },
    ]);
  });

  it("accepts the edges of the date range, leap days and times with an offset", () => {
    const q = parseImageQuery({ from: "2024-02-29", to: "9999-12-31" });
    expect(q.ok && q.value.from?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    // The whole last day, up to the last moment Postgres reads from toISOString.
    expect(q.ok && q.value.to?.toISOString()).toBe("9999-12-31T23:59:59.999Z");
    const offset = parseImageQuery({ from: "1970-01-01", to: "2026-01-05T12:30+02:00" });
    expect(offset.ok && offset.value.to?.toISOString()).toBe("2026-01-05T10:30:00.000Z");
  });

  it("keeps a full ISO 'to' timestamp as given", () => {
    const q = parseImageQuery({ to: "2026-01-05T12:00:00Z" });
    expect(q.ok && q.value.to?.toISOString()).toBe("2026-01-05T12:00:00.000Z");
  });

  it.each([
    [{ limit: "0" }, "limit"],
    [{ limit: "101" }, "limit"],
    [{ limit: "ten" }, "limit"],
    [{ from: "yesterday" }, "from"],
    [{ to: "2026-13-45" }, "to"],
    [{ batch: "../etc/passwd" }, "batch"],
    // Postgres fails on these (a 500) or Date rolls them over: refused as dates.
    [{ from: "99999-01-01" }, "from"],
    [{ from: "+275760-09-13T00:00:00.000Z" }, "from"],
    [{ from: "2026-02-31" }, "from"],
    [{ to: "2025-02-29" }, "to"],
    [{ from: "0000-01-01" }, "from"],
    [{ from: "1969-12-31" }, "from"],
    [{ to: "2026-01-05T24:00:00Z" }, "to"],
    [{ to: "2026-01-05T12:00:00" }, "to"],
    [{ from: "9999-12-31T23:00:00-05:00" }, "from"],
    [{ from: "2026-1-5" }, "from"],
    [{ from: "Jan 5 2026" }, "from"],
    [{ limit: "1e1" }, "limit"],
    [{ limit: "0x10" }, "limit"],
    [{ q: "a\u0000" }, "q"],
    [{ q: "\ud800x" }, "q"],
    [{ model: "\u0000" }, "model"],
    [{ style: "anime\u0000" }, "style"],
    [{ template: "\udc00" }, "template"],
  ])("rejects %o with an issue on %s", (params, path) => {
    const q = parseImageQuery(params);
    expect(q.ok).toBe(false);
    if (!q.ok) expect(q.issues.map((i) => i.path)).toEqual([path]);
  });
});

describe("a from/to range that holds no moment", () => {
  it("is refused with an issue on from that names both dates, not answered as an empty page", () => {
    const q = parseImageQuery(new URLSearchParams("from=2026-12-08&to=2026-12-01"));
    expect(q).toEqual({
      ok: false,
      issues: [
        {
          path: "from",
          message:
            "from (2026-12-08) is after to (2026-12-01), so no image can match; swap them or clear one",
        },
      ],
    });
    // The day after a bare "to" starts where that day ends: nothing is in between.
    expect(parseImageQuery({ from: "2026-12-02", to: "2026-12-01" }).ok).toBe(false);
    const same = parseImageQuery({ from: "2026-12-01T12:00:00Z", to: "2026-12-01T12:00:00Z" });
    expect(!same.ok && same.issues[0]?.message).toMatch(/^from \(.*\) is the same moment as to/);
  });

  it("accepts one day as from and to, and a time earlier than its to", () => {
    expect(parseImageQuery({ from: "2026-12-01", to: "2026-12-01" }).ok).toBe(true);
    expect(parseImageQuery({ from: "2026-12-01T12:00:00Z", to: "2026-12-01" }).ok).toBe(true);
    expect(parseImageQuery({ from: "2026-12-01T12:00:00Z", to: "2026-12-01T12:00:01Z" }).ok).toBe(true);
  });

  it("is told apart by the page from the same rule, and said as the page says dates", () => {
    expect(datesReversed("2026-12-08", "2026-12-01")).toBe(true);
    expect(datesReversed("2026-12-01", "2026-12-01")).toBe(false);
    expect(datesReversed("2026-12-08", undefined)).toBe(false);
    // A date the API refuses is said by its own issue, not as a reversed range.
    expect(datesReversed("2026-02-31", "2026-01-01")).toBe(false);
    expect(dateText("2026-12-08")).toBe("8 Dec 2026");
    expect(dateText("2026-12-08T10:00:00Z")).toBe("2026-12-08T10:00:00Z");
  });
});

describe("gallery filters in the URL", () => {
  it("reads filters from search params, dropping blanks and taking the first of repeated keys", () => {
    expect(readFilters({ model: ["a", "b"], style: "", template: "t", cursor: "x", junk: "y" })).toEqual({
      model: "a",
      template: "t",
    });
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ to: "2026-01-01" })).toBe(true);
  });

  it("reads a positive limit only", () => {
    expect(readLimit({ limit: "12" })).toBe(12);
    expect(readLimit({ limit: "0" })).toBeUndefined();
    expect(readLimit({ limit: "-3" })).toBeUndefined();
    expect(readLimit(new URLSearchParams("limit=abc"))).toBeUndefined();
  });

  it("writes a stable query string that round-trips", () => {
    const search = toSearch({ to: "2026-02-01", model: "m 1", batch: "b" }, { limit: 5, cursor: "c==" });
    expect(search).toBe("model=m+1&batch=b&to=2026-02-01&limit=5&cursor=c%3D%3D");
    expect(readFilters(new URLSearchParams(search))).toEqual({ model: "m 1", batch: "b", to: "2026-02-01" });
    expect(toSearch({})).toBe("");
    // The batch filter's search rides along (after the filters), read back on its own.
    const kept = toSearch({ style: "anime" }, { batchq: "café 2", cursor: "c" });
    expect(kept).toBe("style=anime&batchq=caf%C3%A9+2&cursor=c");
    expect(readFilters(new URLSearchParams(kept))).toEqual({ style: "anime" });
    expect(readBatchSearch(new URLSearchParams(kept))).toBe("café 2");
    expect(readBatchSearch({ batchq: "  " })).toBeUndefined();
    expect(readBatchSearch({ batchq: "x".repeat(300) })).toHaveLength(200);
  });

  it("puts a typed batch search in the address, keeping its filters, page size and cursor", () => {
    expect(withBatchSearch("?cursor=c&limit=12&q=tea&junk=1", "  café ")).toBe(
      "q=tea&batchq=caf%C3%A9&limit=12&cursor=c",
    );
    // An emptied box drops it; nothing else left gives an empty query (the bare /gallery).
    expect(withBatchSearch("?model=m&batchq=old", "")).toBe("model=m");
    expect(withBatchSearch("?batchq=old", undefined)).toBe("");
    expect(withBatchSearch("", "new")).toBe("batchq=new");
  });

  it("merges pages without duplicates, keeping order", () => {
    const page = (...ids: string[]) => ids.map((id) => ({ id }));
    expect(appendUnique(page("a", "b"), page("b", "c", "c", "d"))).toEqual(page("a", "b", "c", "d"));
  });

  it("says why a page did not load as the server-rendered page does: the field messages first", () => {
    const refused = parseImageQuery(new URLSearchParams("from=1969-12-31&limit=0"));
    if (refused.ok) throw new Error("expected a refusal");
    const text = issuesText(refused.issues);
    expect(text).toMatch(
      /^limit must be a whole number from 1 to \d+; from must be a real date from 1970 to 9999/,
    );
    // The in-browser loader reads GET /api/images' 400 answer, {error, issues}, to the same words.
    expect(loadError(400, { error: "Invalid gallery query.", issues: refused.issues })).toBe(text);
    expect(loadError(500, { error: "The database is unavailable.", issues: [] })).toBe(
      "The database is unavailable.",
    );
    expect(loadError(502, {})).toBe("The gallery could not be loaded (HTTP 502).");
  });

  it("offers Retry only where asking again can help, and a way to fix a refused query instead", () => {
    const refused = parseImageQuery(new URLSearchParams("style=anime&from=1969-12-31&limit=0"));
    if (refused.ok) throw new Error("expected a refusal");
    const answer = { error: "Invalid gallery query.", issues: refused.issues };
    const failure = responseFailure(400, answer);
    expect(failure).toEqual({ message: issuesText(refused.issues), issues: refused.issues, retry: false });
    expect(refusedQuery(refused.issues)).toEqual(failure);
    // One fix per field named, in order: the refused page size, then the filter without touching the others.
    expect(queryFixes(failure.issues, { style: "anime", from: "1969-12-31" })).toEqual([
      {
        label: "Show the usual number per page",
        filters: { style: "anime", from: "1969-12-31" },
        keepLimit: false,
      },
      { label: "Clear the From date", filters: { style: "anime" }, keepLimit: true },
    ]);
    // A cursor this API did not write: the newest images with the same filters.
    expect(
      queryFixes([{ path: "cursor", message: "cursor is not one this API returned" }], { q: "x" }),
    ).toEqual([{ label: "Start from the newest images", filters: { q: "x" }, keepLimit: true }]);
    // Nothing the page can change by name: every filter, or a fresh start.
    expect(queryFixes([{ path: "(root)", message: "?" }], { model: "m" })).toEqual([
      { label: "Clear filters", filters: {}, keepLimit: true },
    ]);
    expect(queryFixes([], {})).toEqual([
      { label: "Start from the newest images", filters: {}, keepLimit: false },
    ]);
    // Retry for what may pass: a server error, a lost connection, a sign-in or a wait.
    for (const status of [500, 502, 503, 401, 408, 429]) {
      expect(responseFailure(status, { error: "x", issues: [] })).toMatchObject({ retry: true, issues: [] });
    }
    expect(responseFailure(200, {}).retry).toBe(true);
    expect(networkFailure("Failed to fetch")).toEqual({
      message: "Failed to fetch",
      issues: [],
      retry: true,
    });
  });
});

describe("delete requests", () => {
  it("accepts 1–500 ids and de-duplicates them", () => {
    expect(parseDeleteRequest({ ids: ["a", "b", "a"] })).toEqual({ ok: true, ids: ["a", "b"] });
    const max = Array.from({ length: 500 }, (_, i) => `id${i}`);
    expect(parseDeleteRequest({ ids: max }).ok).toBe(true);
  });

  it.each([
    [{}, "ids"],
    [{ ids: [] }, "ids"],
    [{ ids: "a,b" }, "ids"],
    [{ ids: ["ok", 3] }, "ids.1"],
    [{ ids: ["a/b"] }, "ids.0"],
    [{ ids: Array.from({ length: 501 }, (_, i) => `id${i}`) }, "ids"],
    [null, "(root)"],
  ])("rejects %o with an issue on %s", (body, path) => {
    const parsed = parseDeleteRequest(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.path).toBe(path);
  });
});

describe("who may delete", () => {
  const bearer = (token?: string) => new Headers(token ? { authorization: `Bearer ${token}` } : {});

  it("allows anyone on an embedded install", () => {
    expect(checkAdmin(bearer(), {})).toEqual({ ok: true });
  });

  it("needs the ADMIN_TOKEN bearer in production: 401 without, 403 when wrong", () => {
    const env = { APP_MODE: "production", ADMIN_TOKEN: "secret" };
    expect(checkAdmin(bearer("secret"), env)).toEqual({ ok: true });
    expect(checkAdmin(bearer(), env)).toMatchObject({ ok: false, status: 401 });
    expect(checkAdmin(bearer("nope"), env)).toMatchObject({ ok: false, status: 403 });
    // A DATABASE_URL alone also means production.
    expect(checkAdmin(bearer(), { DATABASE_URL: "postgres://x", ADMIN_TOKEN: "s" })).toMatchObject({
      status: 401,
    });
  });

  it("refuses everyone in production when no ADMIN_TOKEN is configured", () => {
    expect(checkAdmin(bearer("anything"), { APP_MODE: "production" })).toMatchObject({
      ok: false,
      status: 403,
    });
  });
});
