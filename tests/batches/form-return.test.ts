/**
 * Where a batch page's forms come back to without JavaScript: the page of the grid they were posted
 * from, and, when refused, that page with the reason, signed so no other link can put words there.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { cellControlRoute } from "@/lib/batches/cell-picks";
import { formPage, formPageOf, formReturnHref, verifiedNotice } from "@/lib/batches/form-return";

beforeAll(() => {
  process.env.APP_SECRET ??= "a test secret of enough length";
  delete process.env.STUDIO_PASSWORD;
});

/** The notice and signature a return address carries, as the page reads them. */
function queryOf(href: string) {
  const url = new URL(href, "http://localhost");
  return {
    path: url.pathname,
    page: url.searchParams.get("page"),
    notice: url.searchParams.get("notice") ?? undefined,
    sig: url.searchParams.get("sig") ?? undefined,
  };
}

describe("formPage", () => {
  it("reads a positive whole number", () => {
    expect(formPage("3")).toBe(3);
    expect(formPage(" 12 ")).toBe(12);
    expect(formPage("1")).toBe(1);
  });

  it.each([null, undefined, "", "0", "-2", "2.5", "1e3", "three", "9999999", "0x10"])(
    "reads %j as the first page",
    (value) => {
      expect(formPage(value)).toBe(1);
    },
  );

  it("reads a file field as the first page", () => {
    expect(formPage(new File(["3"], "page.txt"))).toBe(1);
  });

  it("reads the page field of a form post, and the first page of anything else", async () => {
    const form = (body: string, type = "application/x-www-form-urlencoded") =>
      new Request("http://localhost/api/batches/x/retry", {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
    expect(await formPageOf(form("page=4"))).toBe(4);
    expect(await formPageOf(form(""))).toBe(1);
    expect(await formPageOf(form("--nope", "multipart/form-data; boundary=x"))).toBe(1);
  });
});

describe("formReturnHref", () => {
  it("goes back to the page posted from, page 1 without a query", () => {
    expect(formReturnHref("abc", 3)).toBe("/b/abc?page=3");
    expect(formReturnHref("abc", 1)).toBe("/b/abc");
  });

  it("carries a refusal the page shows for this batch only, exactly as written", () => {
    const reason = "Only a finished image with that other take can switch to it (title 1 × a&b <i>).";
    const href = formReturnHref("abc", 3, reason);
    const q = queryOf(href);
    expect(q.path).toBe("/b/abc");
    expect(q.page).toBe("3");
    expect(verifiedNotice("abc", q.notice, q.sig)).toBe(reason);
    expect(verifiedNotice("other", q.notice, q.sig)).toBeNull();
    expect(queryOf(formReturnHref("abc", 1, reason)).page).toBeNull();
  });

  it("refuses a notice someone else wrote, or changed", () => {
    const q = queryOf(formReturnHref("abc", 1, "This batch has no failed cells to retry."));
    expect(verifiedNotice("abc", "Your batch is lost: call +1 555 0100.", q.sig)).toBeNull();
    expect(verifiedNotice("abc", q.notice, undefined)).toBeNull();
    expect(verifiedNotice("abc", q.notice, "x".repeat(22))).toBeNull();
    expect(verifiedNotice("abc", undefined, q.sig)).toBeNull();
    expect(verifiedNotice("abc", [q.notice!], [q.sig!])).toBe(q.notice);
  });

  it("carries what a control did under its own name, never readable as a refusal or the other way", () => {
    const note =
      "Queued 2 cancelled cells after the current run: they are made once the cells under way have ended.";
    const url = new URL(formReturnHref("abc", 2, note, "done"), "http://localhost");
    expect(url.searchParams.get("page")).toBe("2");
    expect(url.searchParams.has("notice")).toBe(false);
    const sig = url.searchParams.get("sig") ?? undefined;
    const done = url.searchParams.get("done") ?? undefined;
    expect(verifiedNotice("abc", done, sig, "done")).toBe(note);
    expect(verifiedNotice("abc", done, sig)).toBeNull();
    expect(verifiedNotice("other", done, sig, "done")).toBeNull();
    const refused = queryOf(formReturnHref("abc", 2, "This batch has no cancelled cells to resume."));
    expect(verifiedNotice("abc", refused.notice, refused.sig, "done")).toBeNull();
    // Nothing to say (a cancel that went through): the plain page.
    expect(formReturnHref("abc", 2, null, "done")).toBe("/b/abc?page=2");
  });

  it("cuts a very long reason, keeping whole characters", () => {
    const q = queryOf(formReturnHref("abc", 2, "🙂".repeat(600)));
    const shown = verifiedNotice("abc", q.notice, q.sig);
    expect([...shown!]).toHaveLength(500);
    expect(shown!.endsWith("🙂…")).toBe(true);
  });
});

describe("a cell control posted as a form", () => {
  const route = cellControlRoute(
    "switch",
    "Invalid request to switch takes.",
    () => {
      throw new Error("a malformed request must not reach the control");
    },
    "swapped",
  );
  const call = (body: string, type: string) =>
    route(
      new Request("http://localhost/api/batches/abc/alternate", {
        method: "POST",
        headers: { "content-type": type },
        body,
      }),
      { params: Promise.resolve({ id: "abc" }) },
    );

  it("sends a malformed form back to its page, saying what was wrong", async () => {
    const res = await call("promptIndex=x&model=local-preview&page=3", "application/x-www-form-urlencoded");
    expect(res.status).toBe(303);
    const q = queryOf(res.headers.get("location")!);
    expect(q.path).toBe("/b/abc");
    expect(q.page).toBe("3");
    expect(verifiedNotice("abc", q.notice, q.sig)).toMatch(
      /^Invalid request to switch takes\. cells\.0\.promptIndex: /,
    );
  });

  it("answers a JSON client with the 400 as before", async () => {
    const res = await call(JSON.stringify({ cells: [{ promptIndex: "x", model: "a" }] }), "application/json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe(
      "cells.0.promptIndex",
    );
  });
});
