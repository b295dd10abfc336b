/**
 * Text Postgres cannot hold (NUL, half a surrogate pair), titles the compositor cannot draw, impossible
 * dates and tampered cursors, sent to the route handlers on an in-memory database: each is a 400 naming
 * the field, never a 500, and nothing is created.
 */
import { describe, expect, it } from "vitest";
import { cellControlRoute } from "@/lib/batches/cell-picks";
import { restyleBatch } from "@/lib/batches/restyle";
import { createBatch, getDb, listBatches } from "@/lib/db";
import { BASE_REQUEST } from "../fixtures/batch-helpers";
import { INVISIBLE_TITLES } from "../compose/invisible-titles";
import { memoryApp } from "../helpers/memory-app";

memoryApp("bad-text-");

const batchesRoute = await import("@/app/api/batches/route");
const imagesRoute = await import("@/app/api/images/route");
const previewRoute = await import("@/app/api/preview/route");

interface ErrorBody {
  error: string;
  issues: { path: string; message: string }[];
}

async function expect400(res: Response, path: string, message: RegExp): Promise<void> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as ErrorBody;
  expect(body.error).toEqual(expect.any(String));
  expect(body.issues.map((i) => i.path)).toContain(path);
  expect(body.issues.find((i) => i.path === path)?.message).toMatch(message);
}

const get = (url: string) => new Request(`http://localhost${url}`);
const cursor = (pair: unknown[]) => Buffer.from(JSON.stringify(pair)).toString("base64url");
const batchCount = async () => (await listBatches(await getDb(), { limit: 100 })).batches.length;

describe("POST /api/batches", () => {
  const post = (body: unknown) =>
    batchesRoute.POST(
      new Request("http://localhost/api/batches", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );

  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ prompts: ["ok", "a\u0000b"] }, "prompts.1", /title 2 contains a NUL character/],
    [{ prompts: ["\ud800x"] }, "prompts.0", /title 1 contains half of a character/],
    [{ context: "\u0000" }, "context", /context contains a NUL character/],
    [{ extraPrompt: "\ud800x" }, "extraPrompt", /extra guidance contains half of a character/],
    ...INVISIBLE_TITLES.map((t): [Record<string, unknown>, string, RegExp] => [
      { prompts: [t] },
      "prompts.0",
      /title 1 has no visible characters/,
    ]),
    [{ quality: "ultra" }, "quality", /no model in this batch has quality "ultra"/],
    [{ quality: "" }, "quality", /cannot be empty/],
  ];

  it.each(cases)("refuses %j with a 400 and creates nothing", async (change, path, message) => {
    const before = await batchCount();
    await expect400(await post({ ...BASE_REQUEST, ...change }), path, message);
    expect(await batchCount()).toBe(before);
  });

  it("refuses a positional batch.json with elements past the seventh", async () => {
    const b = BASE_REQUEST;
    const positional = [b.prompts, b.models, b.style, b.template, b.font, null, null, "extra", "more"];
    await expect400(await post(positional), "(root)", /9 elements; it takes at most 7/);
  });
});

describe("GET /api/batches", () => {
  it.each([
    ["q=%00", "q", /NUL character/],
    ["limit=1e1", "limit", /^limit must be a whole number from 1 to 100$/],
    ["limit=0x10", "limit", /whole number from 1 to 100/],
    ["limit=%205", "limit", /whole number from 1 to 100/],
    [`cursor=${cursor(["0", "x"])}`, "cursor", /cursor is not one this API returned/],
    [`cursor=${cursor(["2026-02-31", "x"])}`, "cursor", /cursor is not one this API returned/],
    [
      `cursor=${cursor(["+275760-09-13T00:00:00.000Z", "x"])}`,
      "cursor",
      /cursor is not one this API returned/,
    ],
    [
      `cursor=${cursor(["2026-01-01T00:00:00.000Z", "\u0000"])}`,
      "cursor",
      /cursor is not one this API returned/,
    ],
  ])("?%s is a 400 on %s", async (query, path, message) => {
    await expect400(await batchesRoute.GET(get(`/api/batches?${query}`)), path, message);
  });

  it("still takes a plain limit", async () => {
    expect((await batchesRoute.GET(get("/api/batches?limit=10"))).status).toBe(200);
  });
});

describe("GET /api/images", () => {
  it.each([
    ["q=%00", "q", /NUL character/],
    ["model=%00", "model", /NUL character/],
    ["style=%00", "style", /NUL character/],
    ["template=%00", "template", /NUL character/],
    ["from=99999-01-01", "from", /real date/],
    ["from=2026-02-31", "from", /real date/],
    ["to=%2B275760-09-13T00:00:00.000Z", "to", /real date/],
    ["limit=1e1", "limit", /^limit must be a whole number from 1 to \d+$/],
    ["model=nope", "model", /^model "nope" is not one of /],
    ["style=nope", "style", /^style "nope" is not one of /],
    ["template=nope", "template", /^template "nope" is not one of /],
    ["limit=0x10", "limit", /limit must be/],
    [`cursor=${cursor(["0", "x"])}`, "cursor", /cursor is not one this API returned/],
    [`cursor=${cursor(["2026-02-31", "x"])}`, "cursor", /cursor is not one this API returned/],
    [`cursor=${cursor(["+275760-09-13T00:00:00.000Z", "x"])}`, "cursor", /cursor is not one/],
    [`cursor=${cursor(["2026-01-01T00:00:00.000Z", "\u0000"])}`, "cursor", /cursor is not one/],
  ])("?%s is a 400 on %s", async (query, path, message) => {
    await expect400(await imagesRoute.GET(get(`/api/images?${query}`)), path, message);
  });
});

describe("GET /api/preview", () => {
  it.each(["%E2%80%8B", "%07", "%00", "%E2%80%8D%EF%B8%8F%20%E2%80%8B"])(
    "title=%s (nothing to draw) is a 400 on title",
    async (title) => {
      const res = await previewRoute.GET(get(`/api/preview?template=bottom-bar&font=inter&title=${title}`));
      await expect400(res, "title", /no visible characters/);
    },
  );

  it("draws a title of emoji cut at 200 characters, not at half of one", async () => {
    const res = await previewRoute.GET(
      get(`/api/preview?template=bottom-bar&font=inter&title=${encodeURIComponent("👍".repeat(150))}`),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
  });
});

describe("restyle and cell controls", () => {
  async function source() {
    const input = { ...BASE_REQUEST, prompts: ["One", "Two"], canvas: "blog" };
    return (await createBatch(await getDb(), { input })).batch.id;
  }

  it.each([
    ["a\u0000", /title 2 contains a NUL character/],
    ["\ud800x", /title 2 contains half of a character/],
    ["\u200b\u200b", /title 2 has no visible characters/],
    ["👍".repeat(201), /title 2 is 201 characters; the limit is 200/],
  ])("a restyle refuses the title %j and creates nothing", async (title, message) => {
    const id = await source();
    const before = await batchCount();
    const result = await restyleBatch(id, { prompts: ["One", title] });
    expect(result).toMatchObject({ ok: false, status: 400 });
    if (result.ok) return;
    expect(result.issues).toContainEqual({ path: "prompts.1", message: expect.stringMatching(message) });
    expect(await batchCount()).toBe(before);
  });

  it("a cell control refuses a model id with a NUL character before touching the batch", async () => {
    let called = false;
    const route = cellControlRoute(
      "plain",
      "Invalid request for new takes.",
      async () => {
        called = true;
        return null;
      },
      "queued",
    );
    const res = await route(
      new Request("http://localhost/api/batches/x/takes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ cells: [{ promptIndex: 0, model: "local-preview\u0000" }] }),
      }),
      { params: Promise.resolve({ id: "x" }) },
    );
    await expect400(res, "cells.0.model", /NUL character/);
    expect(called).toBe(false);
  });

  it.each([
    [{}, "cells", /^cells must be a list of \{promptIndex, model\}$/],
    [[1, 2], "(root)", /^the body must be \{cells: /],
    [{ cells: ["1:local-preview"] }, "cells.0", /^each cell must be \{promptIndex, model\}$/],
    [{ cells: [{ promptIndex: "0", model: "local-preview" }] }, "cells.0.promptIndex", /index/],
    [{ cells: [{ promptIndex: 0.5, model: "local-preview" }] }, "cells.0.promptIndex", /whole number/],
    [{ cells: [{ promptIndex: 0 }] }, "cells.0.model", /^must be a model id$/],
  ])(
    "a cell control refuses the body %j in the API's words, not the schema library's",
    async (body, at, message) => {
      const route = cellControlRoute("plain", "Invalid request for new takes.", async () => null, "queued");
      const res = await route(
        new Request("http://localhost/api/batches/x/takes", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ id: "x" }) },
      );
      await expect400(res, at, message);
    },
  );
});
