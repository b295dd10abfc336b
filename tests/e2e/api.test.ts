/**
 * The batch HTTP API on the whole stack (built app + local engine + provider simulator): the seeds'
 * batch.json gives a 5 × 2 matrix of real JPEGs, bad requests are refused field by field and create nothing,
 * cancel stops unfinished cells, resume re-runs the cancelled ones, retry re-runs only the failed ones, and
 * only the owner may do any of them; a small batch takes turns with a big one at a busy provider.
 */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCanvas, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { absoluteResults, fetchBatch, submitBatch } from "../../scripts/lib/batch-client";
import {
  BASE_REQUEST,
  bearer,
  blobFiles,
  cellAt,
  post,
  settled,
  sleep,
  until,
} from "../fixtures/batch-helpers";
import { BAD_REQUESTS } from "../fixtures/bad-requests";
import { startStack, type Stack } from "../helpers/stack";

let sim: Simulator;
let stack: Stack;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { latencyMs: [100, 400], timeScale: 1 } });
  // Two Gemini calls at a time so a cancelled batch also has cells that never started.
  stack = await startStack({
    PROVIDER_SIMULATOR_URL: sim.url,
    CELL_RETRIES: "4",
    PROVIDER_CONCURRENCY_GOOGLE: "2",
  });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

const seeds: unknown = JSON.parse(readFileSync(new URL("../fixtures/batch.json", import.meta.url), "utf8"));

async function counts(): Promise<{ batches: number; runs: number }> {
  const list = (await (await fetch(`${stack.appUrl}/api/batches?limit=100`)).json()) as {
    batches: unknown[];
  };
  const runs = (await (await stack.engineApi("/v1/runs?limit=10000")).json()) as { data: unknown[] };
  return { batches: list.batches.length, runs: runs.data.length };
}

describe("batch API on the whole stack", () => {
  it("runs the seeds' batch.json (retired ids resolved with a notice) into a 5 × 2 matrix of JPEGs", async () => {
    const created = await submitBatch(stack.appUrl, seeds);
    if (!created.ok) throw new Error(`rejected: ${JSON.stringify(created)}`);
    expect(created.url).toBe(`${stack.appUrl}/b/${created.id}`);
    expect(created.batch.models).toEqual(["gemini-3-pro-image", "gpt-image-1.5"]);
    expect(created.batch.notices.join("\n")).toMatch(/gpt-image-1 was retired.*gpt-image-1\.5/);
    expect(created.batch.notices.join("\n")).toMatch(/gemini-3-pro-image-preview was retired/);
    const batch = await settled(stack.appUrl, created.id);
    expect(batch.status).toBe("succeeded");
    const results = absoluteResults(stack.appUrl, batch);
    expect(results).toHaveLength(5);
    for (const row of results) {
      expect(row).toHaveLength(2);
      for (const url of row) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\.jpg/);
    }
    const canvas = getCanvas(DEFAULT_CANVAS_ID);
    for (const url of [results[0]?.[0], results[2]?.[1], results[4]?.[1]]) {
      const res = await fetch(url as string);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/jpeg");
      const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", canvas.width, canvas.height]);
    }
    // The workflow's own result (run-batch output) is the same matrix the API serves. The run's output
    // is recorded a moment after its last step finished the batch row, so it is read until it is there.
    const output = async () => {
      const runs = (await (await stack.engineApi("/v1/runs?function_id=run-batch")).json()) as {
        data: { output: { batchId: string; results: (string | null)[][] } | null }[];
      };
      return runs.data.find((r) => r.output?.batchId === created.id)?.output?.results;
    };
    await expect.poll(output, { timeout: 10_000 }).toEqual(batch.results);

    // The read says which change it includes; the event stream resumed from there has nothing to replay.
    const read = await fetch(`${stack.appUrl}/api/batches/${created.id}`);
    const cursor = read.headers.get("x-last-event-id");
    expect(cursor).toMatch(/^[1-9]\d*$/);
    const full = await (await fetch(`${stack.appUrl}/api/batches/${created.id}/events`)).text();
    expect(full).toContain('"kind":"cell"');
    const after = await fetch(`${stack.appUrl}/api/batches/${created.id}/events`, {
      headers: { "last-event-id": cursor as string },
    });
    const data = (await after.text()).split("\n").filter((l) => l.startsWith("data:"));
    expect(data).toEqual(['data: {"kind":"end"}']);
  });

  it("links a new batch on the public origin a proxy forwards, not the address Next listens on", async () => {
    const res = await fetch(`${stack.appUrl}/api/batches`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-forwarded-host": "thumbs.example.com",
        "x-forwarded-proto": "https",
      },
      body: JSON.stringify({
        prompts: ["Proxied"],
        models: ["local-preview"],
        style: "minimalist",
        template: "bottom-bar",
        font: "inter",
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; url: string; batch: { estimatedByModel: object } };
    expect(body.url).toBe(`https://thumbs.example.com/b/${body.id}`);
    // The batch as GET /api/batches/:id gives it, its estimate per model included.
    expect(body.batch.estimatedByModel).toEqual({ "local-preview": 0 });
    await settled(stack.appUrl, body.id);
  });

  it(`refuses ${BAD_REQUESTS.length} bad requests field by field and creates nothing`, async () => {
    expect(BAD_REQUESTS.length).toBeGreaterThanOrEqual(25);
    const before = await counts();
    for (const bad of BAD_REQUESTS) {
      const res = await fetch(`${stack.appUrl}/api/batches`, {
        method: "POST",
        headers: bad.contentType === null ? {} : { "content-type": bad.contentType ?? "application/json" },
        body: bad.raw ?? JSON.stringify(bad.body),
      });
      const body = (await res.json()) as { error?: unknown; issues?: { path: string; message: string }[] };
      const label = `${bad.name}: ${JSON.stringify(body)}`;
      expect(res.status, label).toBe(bad.status ?? 400);
      expect(typeof body.error, label).toBe("string");
      expect(Array.isArray(body.issues), label).toBe(true);
      for (const issue of body.issues ?? []) {
        expect(typeof issue.path, label).toBe("string");
        expect(issue.message.length, label).toBeGreaterThan(0);
      }
      if (bad.path)
        expect(
          body.issues?.map((i) => i.path),
          label,
        ).toContain(bad.path);
      if (bad.message) expect(body.issues?.map((i) => i.message).join("\n"), label).toMatch(bad.message);
    }
    expect(await counts()).toEqual(before);
  });

  it("cancel stops unfinished cells, resume runs them again; only the owner may do either", async () => {
    // The slow titles' answers wait until the cancel.
    const release = sim.hold((prompt) => prompt.includes("Slow"));
    const created = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Finishes before the cancel", "Slow one", "Slow two", "Slow three"],
      models: ["gpt-image-1.5", "gemini-3-pro-image"],
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const { id, ownerToken } = created;
    let before: Awaited<ReturnType<typeof fetchBatch>>;
    try {
      // Fast row done, the slow OpenAI cells in flight, Gemini capped at 2 so one slow Gemini cell waits.
      before = await until(async () => {
        const b = await fetchBatch(stack.appUrl, id);
        const fastDone = b.cells.filter((c) => c.promptIndex === 0 && c.status === "succeeded").length === 2;
        return fastDone && b.counts.running >= 4 && b.counts.queued >= 1 ? b : undefined;
      }, "the fast row to finish while slow cells run");

      expect((await post(stack.appUrl, `/api/batches/${id}/cancel`)).status).toBe(403);
      const stranger = await post(stack.appUrl, `/api/batches/${id}/cancel`, undefined, bearer("nope"));
      expect(stranger.status).toBe(403);
      const cancel = await post(stack.appUrl, `/api/batches/${id}/cancel`, undefined, bearer(ownerToken));
      expect(cancel.status).toBe(200);
    } finally {
      release();
    }

    const after = await settled(stack.appUrl, id);
    expect(after.status).toBe("cancelled");
    for (const cell of after.cells) {
      if (cell.promptIndex === 0) {
        expect(cell.status).toBe("succeeded");
        expect(cell.finishedAt).toBe(cellAt(before, 0, cell.model).finishedAt);
      } else expect(cell.status, `${cell.promptIndex} × ${cell.model}`).toBe("cancelled");
    }
    // Calls already in flight end at the simulator; nothing new is sent once the cancel has settled.
    await until(() => sim.requests.every((r) => r.outcome !== "pending"), "in-flight calls to end", 30_000);
    const sent = sim.requests.length;
    await sleep(3_000);
    expect(sim.requests.length).toBe(sent);
    const final = await fetchBatch(stack.appUrl, id);
    expect(final.cells.map((c) => c.status)).toEqual(after.cells.map((c) => c.status));
    expect(blobFiles(stack.dataDir, `final/${id}`).sort()).toEqual([
      "0-gemini-3-pro-image.jpg",
      "0-gpt-image-1.5.jpg",
    ]);

    // Resume: the cancelled cells run again. Pictures paid for by the calls that were in flight at the
    // cancel are kept on their cells and reused; only cells that never got one call a provider.
    const kept = final.cells.filter((c) => c.status === "cancelled" && c.reusable).length;
    const toPay = final.cells.filter((c) => c.status === "cancelled" && !c.reusable).length;
    expect([kept > 0, toPay > 0]).toEqual([true, true]);
    expect((await post(stack.appUrl, `/api/batches/${id}/resume`)).status).toBe(403);
    const calls = sim.requests.length;
    const resume = await post(stack.appUrl, `/api/batches/${id}/resume`, undefined, bearer(ownerToken));
    expect([resume.status, resume.json.resumed]).toEqual([200, 6]);
    const resumed = await settled(stack.appUrl, id);
    expect([resumed.status, resumed.cancelReason]).toEqual(["succeeded", null]);
    expect(sim.requests.length - calls).toBe(toPay);
    expect(blobFiles(stack.dataDir, `final/${id}`)).toHaveLength(8);
    const again = await post(stack.appUrl, `/api/batches/${id}/resume`, undefined, bearer(ownerToken));
    expect([again.status, again.json.error]).toEqual([409, "This batch has no cancelled cells to resume."]);
  });

  it("retry re-runs only the failed cells; only the owner may retry", async () => {
    sim.reset();
    const created = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Always fails this round [sim:500*5]", "Fine first time", "Also fine"],
      models: ["gpt-image-1.5", "gemini-3-pro-image"],
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const { id, ownerToken } = created;
    const first = await settled(stack.appUrl, id);
    expect(first.status).toBe("partial");
    for (const model of first.models) {
      const failed = cellAt(first, 0, model);
      expect([failed.status, failed.attempts]).toEqual(["failed", 5]);
      expect(failed.error).toMatch(/\S/);
    }
    expect(first.counts.succeeded).toBe(4);
    const logged = sim.requests.length;
    expect(logged).toBe(2 * 5 + 4);

    expect((await post(stack.appUrl, `/api/batches/${id}/retry`)).status).toBe(403);
    const retry = await post(stack.appUrl, `/api/batches/${id}/retry`, undefined, bearer(ownerToken));
    expect([retry.status, retry.json.retried]).toEqual([200, 2]);

    const second = await settled(stack.appUrl, id);
    expect(second.status).toBe("succeeded");
    // Exactly one new call per failed cell (its 6th), and none for the cells that had succeeded.
    const fresh = sim.requests.slice(logged);
    expect(fresh.map((r) => r.attempt)).toEqual([6, 6]);
    expect(fresh.map((r) => r.model).sort()).toEqual(["gemini-3-pro-image", "gpt-image-1.5"]);
    for (const cell of second.cells) {
      const was = cellAt(first, cell.promptIndex, cell.model);
      if (cell.promptIndex === 0) {
        expect(cell.status).toBe("succeeded");
        expect(cell.imageUrl).not.toBeNull();
      } else {
        expect([cell.finishedAt, cell.attempts, cell.requestIds, cell.imageUrl]).toEqual([
          was.finishedAt,
          was.attempts,
          was.requestIds,
          was.imageUrl,
        ]);
      }
    }
    // Nothing failed any more, so a second retry has nothing to do.
    expect((await post(stack.appUrl, `/api/batches/${id}/retry`, undefined, bearer(ownerToken))).status).toBe(
      409,
    );
  });

  it("lets a small batch take turns at a busy provider instead of waiting behind a big batch", async () => {
    sim.reset();
    const big = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: Array.from({ length: 30 }, (_, i) => `Big batch title ${i + 1}`),
      models: ["gemini-3-pro-image"],
    });
    if (!big.ok) throw new Error(JSON.stringify(big));
    // Two Gemini calls at a time: the big batch's thirty cells queue up before the small one's.
    await until(() => sim.requests.length > 0, "the big batch's first calls");
    const small = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Small batch title"],
      models: ["gemini-3-pro-image"],
    });
    if (!small.ok) throw new Error(JSON.stringify(small));
    const smallDone = await settled(stack.appUrl, small.id);
    const bigDone = await settled(stack.appUrl, big.id);
    expect([smallDone.status, bigDone.status]).toEqual(["succeeded", "succeeded"]);
    // First come, first served, the small batch's call starts after nearly all of the big batch's
    // (25 of 30 when measured); taking turns, at the next free call (2 of 30).
    const smallStart = Date.parse(smallDone.cells[0]!.startedAt!);
    const startedLater = bigDone.cells.filter((c) => Date.parse(c.startedAt!) > smallStart);
    expect(startedLater.length).toBeGreaterThanOrEqual(15);
    expect(sim.stats.maxInflight.google).toBeLessThanOrEqual(2);
  });

  it("restyle composes the stored pictures again with another look, and never calls a provider", async () => {
    sim.reset();
    const created = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Restyle me please", "Blocked every time [sim:moderation]"],
      models: ["gpt-image-1.5", "gemini-3-pro-image"],
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const source = await settled(stack.appUrl, created.id);
    expect(source.status).toBe("partial");
    const route = `/api/batches/${source.id}/restyle`;
    const owner = bearer(created.ownerToken);

    expect((await post(stack.appUrl, route, { template: "left-panel" })).status).toBe(403);
    const bad = [
      [{ template: "comic-sans" }, "template"],
      [{ font: 3 }, "font"],
      [{ prompts: ["Only one title"] }, "prompts"],
      [{ prompts: ["", "Blocked every time [sim:moderation]"] }, "prompts.0"],
      [{ colour: "red" }, "(root)"],
      [{ template: source.template, font: source.font }, "(root)"],
    ] as const;
    const before = await counts();
    for (const [body, path] of bad) {
      const res = await post(stack.appUrl, route, body, owner);
      expect([res.status, (res.json.issues as { path: string }[]).map((i) => i.path)]).toEqual([400, [path]]);
    }
    expect(await counts()).toEqual(before);

    const logged = sim.requests.length;
    const res = await post(
      stack.appUrl,
      route,
      {
        template: "left-panel",
        font: "oswald",
        canvas: "youtube",
        prompts: ["Restyle me, please", "Blocked every time [sim:moderation]"],
      },
      owner,
    );
    expect(res.status).toBe(201);
    const id = res.json.id as string;
    expect(id).not.toBe(source.id);
    const restyled = await settled(stack.appUrl, id);
    expect([restyled.template, restyled.font, restyled.canvas]).toEqual(["left-panel", "oswald", "youtube"]);
    expect(restyled.prompts[0]).toBe("Restyle me, please");
    expect(restyled.restyledFrom).toBe(source.id);
    expect(restyled.notices.join("\n")).toMatch(/2 pictures reused.*2 without a stored picture left out/);
    expect([restyled.status, restyled.counts.total, restyled.estimatedCostUsd]).toEqual(["succeeded", 2, 0]);
    // The cells with a picture made no call, cost nothing and carry the new title, template and canvas;
    // the blocked ones (no picture) are not part of it.
    expect(sim.requests.length).toBe(logged);
    for (const model of restyled.models) {
      const cell = cellAt(restyled, 0, model);
      expect([cell.status, cell.attempts, cell.costUsd, cell.reusable]).toEqual(["succeeded", 0, 0, true]);
      // Its time is the composing, from when its leaf took the stored picture.
      expect(cell.durationMs).toBeGreaterThan(0);
      const was = cellAt(source, 0, model);
      expect(cell.imageUrl).not.toBe(was.imageUrl);
      const image = await fetch(new URL(cell.imageUrl as string, stack.appUrl));
      const meta = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
      expect([meta.width, meta.height]).toEqual([1280, 720]);
      expect(restyled.cells.some((c) => c.promptIndex === 1 && c.model === model)).toBe(false);
    }

    // A batch with no stored picture at all has nothing to restyle.
    const blocked = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Blocked again [sim:moderation]"],
      models: ["gpt-image-1.5"],
    });
    if (!blocked.ok) throw new Error(JSON.stringify(blocked));
    expect((await settled(stack.appUrl, blocked.id)).status).toBe("failed");
    const nothing = await post(
      stack.appUrl,
      `/api/batches/${blocked.id}/restyle`,
      { font: "oswald" },
      bearer(blocked.ownerToken),
    );
    expect([nothing.status, nothing.json.error]).toEqual([409, expect.stringMatching(/no stored pictures/)]);

    // Deleting the source's images keeps the pictures the restyled batch was made from.
    const raws = blobFiles(stack.dataDir, "raw");
    const ids = source.cells.filter((c) => c.status === "succeeded").map((c) => c.id);
    const deleted = await fetch(`${stack.appUrl}/api/images`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids }),
    });
    expect(deleted.status).toBe(200);
    expect(blobFiles(stack.dataDir, "raw")).toEqual(raws);
    const again = await fetchBatch(stack.appUrl, id);
    expect(again.cells.filter((c) => c.status === "succeeded")).toHaveLength(2);
  });
});
