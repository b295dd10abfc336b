/**
 * New takes: the owner of a batch asks for another picture of chosen finished cells. Each take is one
 * new provider call; the cell keeps its picture until the new one is stored, and keeps it for good when
 * the take fails; the picture a take replaces is the cell's other take, which its owner can switch back
 * to. Through the API, the batch page with JavaScript, and a plain form post without it.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchDto } from "@/lib/batches/dto";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, bearer, blobFiles, cellAt, post, readAs, settled } from "../fixtures/batch-helpers";
import { checkA11y } from "../helpers/a11y";
import { focusUnderBar, openBrowser } from "../helpers/browser";
import { until } from "../engine/helpers";
import { startStack, type Stack } from "../helpers/stack";

let sim: Simulator;
let stack: Stack;
/** Reads every batch as its owner would (other takes included). */
const ADMIN = "takes-test-admin-token";

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: "fast" });
  // The storage sweep runs only when the test asks, and takes files a minute old (not a day).
  stack = await startStack({
    PROVIDER_SIMULATOR_URL: sim.url,
    STORAGE_SWEEP_CRON: "off",
    STORAGE_SWEEP_GRACE_MS: "60000",
    ADMIN_TOKEN: ADMIN,
  });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

const MODELS = ["local-preview", "gpt-image-1.5"];

async function finishedBatch(prompts: string[], extra: Record<string, unknown> = {}) {
  const created = await submitBatch(stack.appUrl, { ...BASE_REQUEST, prompts, models: MODELS, ...extra });
  if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
  const batch = await settled(stack.appUrl, created.id);
  expect(batch.status).toBe("succeeded");
  return { id: created.id, token: created.ownerToken, batch };
}

/** `npm run batch` as a child process, with only the environment given (no saved tokens). */
function runCli(args: string[], env: Record<string, string>) {
  const config = mkdtempSync(path.join(os.tmpdir(), "takes-cli-"));
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/batch.ts", ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: config, ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (code) => {
      rmSync(config, { recursive: true, force: true });
      resolve({ code, stderr });
    });
  });
}

const takes = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  post(stack.appUrl, `/api/batches/${id}/takes`, body, headers);

/** A stored file's name from its URL: an other take's id. */
const fileOf = (url: string | null) => new URL(url ?? "", stack.appUrl).pathname.split("/").pop();
/** A later take's file name with its unguessable tag written as <tag>. */
const untag = (name: string) => name.replace(/-t(\d+)-[\w-]{16}\./, "-t$1-<tag>.");

async function bytesOf(url: string) {
  const res = await fetch(new URL(url, stack.appUrl));
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("new takes", () => {
  it("replaces only the picked pictures, with one new call each, keeping the replaced one to switch back to", async () => {
    const { id, token, batch } = await finishedBatch(["Take me again", "Leave me be"]);
    const before = sim.requests.length;
    const picked = [cellAt(batch, 0, "gpt-image-1.5"), cellAt(batch, 1, "local-preview")];
    const olds = await Promise.all(picked.map((c) => bytesOf(c.imageUrl!)));

    const answer = await takes(
      id,
      { cells: picked.map((c) => ({ promptIndex: c.promptIndex, model: c.model })) },
      bearer(token),
    );
    expect(answer.status).toBe(200);
    expect(answer.json.queued).toBe(2);
    expect((answer.json.batch as BatchDto).status).toBe("running");

    const visible = await settled(stack.appUrl, id);
    expect(visible.status).toBe("succeeded");
    // Visitors do not get the other takes (pictures the owner replaced); the owner does.
    expect(visible.cells.every((c) => c.alternateUrl === null && c.otherTakes.length === 0)).toBe(true);
    const after = await readAs(stack.appUrl, id, token);
    for (const [i, old] of picked.entries()) {
      const cell = cellAt(after, old.promptIndex, old.model);
      expect(cell).toMatchObject({ status: "succeeded", take: 1, note: null });
      expect(cell.imageUrl).not.toBe(old.imageUrl);
      const now = await bytesOf(cell.imageUrl!);
      expect(now.status).toBe(200);
      // The offline preview draws a new picture for a new take (its seed changes with the take).
      if (old.model === "local-preview") expect(now.bytes.equals(olds[i]!.bytes)).toBe(false);
      // The replaced picture is kept as the cell's other take.
      expect(cell.alternateUrl).toBe(old.imageUrl);
      expect((await bytesOf(old.imageUrl!)).status).toBe(200);
    }
    // Untouched cells keep their picture and their URL.
    for (const old of [cellAt(batch, 0, "local-preview"), cellAt(batch, 1, "gpt-image-1.5")]) {
      expect(cellAt(after, old.promptIndex, old.model)).toMatchObject({ imageUrl: old.imageUrl, take: 0 });
    }
    // The estimate is the list price of every call asked for: one more GPT picture.
    expect(after.estimatedCostUsd).toBeCloseTo(batch.estimatedCostUsd + 0.05);
    expect(after.estimatedByModel).toEqual({ "local-preview": 0, "gpt-image-1.5": expect.closeTo(0.15) });
    expect(after.cells.every((c) => c.previousUrl === null)).toBe(true);
    expect(cellAt(after, 0, "local-preview").alternateUrl).toBeNull();
    // One paid call for the GPT cell; the preview is not a provider call.
    expect(sim.requests.length - before).toBe(1);
    expect(cellAt(after, 0, "gpt-image-1.5").attempts).toBe(2);
    // A later take's file carries a tag no one can guess from the batch id, so once replaced it is not
    // found by visitors of the shared page; the untagged name is no file.
    expect(blobFiles(stack.dataDir, `final/${id}`).map(untag).sort()).toEqual([
      "0-gpt-image-1.5-t1-<tag>.jpg",
      "0-gpt-image-1.5.jpg",
      "0-local-preview.jpg",
      "1-gpt-image-1.5.jpg",
      "1-local-preview-t1-<tag>.jpg",
      "1-local-preview.jpg",
    ]);
    expect((await bytesOf(`/api/blob/final/${id}/0-gpt-image-1.5-t1.jpg`)).status).toBe(404);

    // Switching to the other take shows the first picture again, with no provider call; switching
    // again comes back.
    const gpt = { promptIndex: 0, model: "gpt-image-1.5" };
    const taken = cellAt(after, 0, "gpt-image-1.5");
    const alternate = (body: unknown, headers: Record<string, string> = bearer(token)) =>
      post(stack.appUrl, `/api/batches/${id}/alternate`, body, headers);
    const back = await alternate({ cells: [gpt] });
    expect(back.status).toBe(200);
    expect(back.json.swapped).toBe(1);
    expect(cellAt(back.json.batch as BatchDto, 0, "gpt-image-1.5")).toMatchObject({
      imageUrl: picked[0]!.imageUrl,
      alternateUrl: taken.imageUrl,
      take: 1,
    });
    const forth = await alternate({ cells: [gpt] });
    expect(cellAt(forth.json.batch as BatchDto, 0, "gpt-image-1.5")).toMatchObject({
      imageUrl: taken.imageUrl,
      alternateUrl: picked[0]!.imageUrl,
    });
    expect(sim.requests.length - before).toBe(1);
    // Refused: a cell with no other take, a bad body, a stranger, another site.
    const none = await alternate({ cells: [{ promptIndex: 0, model: "local-preview" }] });
    expect([none.status, none.json.error]).toEqual([
      409,
      "Only a finished image with another take can switch to it (title 1 × local-preview).",
    ]);
    expect((await alternate({ cells: [{ promptIndex: "0", model: "gpt-image-1.5" }] })).status).toBe(400);
    expect((await alternate({ cells: [gpt] }, {})).status).toBe(403);
    expect(
      (await alternate({ cells: [gpt] }, { ...bearer(token), "sec-fetch-site": "cross-site" })).status,
    ).toBe(403);

    // A second take keeps the picture it replaces as well: two other takes, most recently shown first.
    await takes(id, { cells: [gpt] }, bearer(token));
    await settled(stack.appUrl, id);
    const second = cellAt(await readAs(stack.appUrl, id, token), 0, "gpt-image-1.5");
    expect(second).toMatchObject({
      take: 2,
      alternateUrl: taken.imageUrl,
      otherTakes: [
        { id: fileOf(taken.imageUrl), url: taken.imageUrl },
        { id: "0-gpt-image-1.5.jpg", url: picked[0]!.imageUrl },
      ],
    });
    expect((await bytesOf(picked[0]!.imageUrl!)).status).toBe(200);
    expect(
      blobFiles(stack.dataDir, `final/${id}`)
        .filter((f) => f.startsWith("0-gpt"))
        .map(untag)
        .sort(),
    ).toEqual(["0-gpt-image-1.5-t1-<tag>.jpg", "0-gpt-image-1.5-t2-<tag>.jpg", "0-gpt-image-1.5.jpg"]);
    const beyond = await alternate({ cells: [{ ...gpt, other: 2 }] });
    expect([beyond.status, beyond.json.error]).toEqual([
      409,
      "Only a finished image with that other take can switch to it (title 1 × gpt-image-1.5).",
    ]);
    // The CLI switches too (@2: the second other take, the first picture), and says plainly when a
    // cell has no other take.
    const owner = { THUMB_OWNER_TOKEN: token };
    const cli = await runCli(["switch", id, "--cell", "1:gpt-image-1.5@2", "--url", stack.appUrl], owner);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(`batch ${id}: 1 cell switched to another take`);
    expect(cellAt(await readAs(stack.appUrl, id, token), 0, "gpt-image-1.5")).toMatchObject({
      imageUrl: picked[0]!.imageUrl,
      otherTakes: [
        { id: fileOf(second.imageUrl), url: second.imageUrl },
        { id: fileOf(taken.imageUrl), url: taken.imageUrl },
      ],
    });
    // By id, as the page sends it: the named picture, or 409 once it is no other take of the cell (here
    // it is the one shown), instead of whatever moved into its place.
    const stale = await alternate({ cells: [{ ...gpt, other: "0-gpt-image-1.5.jpg" }] });
    expect(stale.status).toBe(409);
    const byId = await alternate({ cells: [{ ...gpt, other: fileOf(taken.imageUrl) }] });
    expect(cellAt(byId.json.batch as BatchDto, 0, "gpt-image-1.5").imageUrl).toBe(taken.imageUrl);
    expect((await alternate({ cells: [{ ...gpt, other: "../x" }] })).status).toBe(400);
    const refused = await runCli(["switch", id, "--cell", "1:local-preview", "--url", stack.appUrl], owner);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "Only a finished image with another take can switch to it (title 1 × local-preview).",
    );
  });

  it("keeps the picture when the take fails, and says why", async () => {
    const { id, token, batch } = await finishedBatch(["Blocked the second time"]);
    const old = cellAt(batch, 0, "gpt-image-1.5");
    sim.setProfile({ faults: { moderation: 1 }, latencyMs: [1500, 1500] });
    try {
      const answer = await takes(id, { cells: [{ promptIndex: 0, model: "gpt-image-1.5" }] }, bearer(token));
      expect(answer.status).toBe(200);
      // While the take is made, the cell offers the picture it keeps.
      const during = cellAt(answer.json.batch as BatchDto, 0, "gpt-image-1.5");
      expect(during).toMatchObject({ status: "queued", imageUrl: null, previousUrl: old.imageUrl });
      // The results matrix, like the exports, has the picture the cell shows meanwhile.
      const gpt = (answer.json.batch as BatchDto).models.indexOf("gpt-image-1.5");
      expect((answer.json.batch as BatchDto).results[0]![gpt]).toBe(old.imageUrl);
      const after = await settled(stack.appUrl, id);
      expect(after.status).toBe("succeeded");
      const cell = cellAt(after, 0, "gpt-image-1.5");
      expect(cell).toMatchObject({ status: "succeeded", imageUrl: old.imageUrl, take: 1, error: null });
      expect(cell.note).toMatch(/^The new take failed \(.+\); the previous picture is kept\.$/);
      expect((await bytesOf(old.imageUrl!)).status).toBe(200);
      // The CLI's take --wait says which take made no new picture, and exits 1 for it.
      const cli = await runCli(["take", id, "--cell", "1:gpt-image-1.5", "--wait", "--url", stack.appUrl], {
        THUMB_OWNER_TOKEN: token,
      });
      expect(cli.code, cli.stderr).toBe(1);
      expect(cli.stderr).toMatch(
        /title 1 × gpt-image-1\.5: The new take failed \(.+\); the previous picture is kept\./,
      );
    } finally {
      sim.setProfile("fast");
    }
  });

  it("refuses bad requests, strangers, takes of unfinished cells and takes past the budget, changing nothing", async () => {
    const { id, token, batch } = await finishedBatch(["Refusals only"], { budgetUsd: 0.06 });
    const owner = bearer(token);
    const gpt = { promptIndex: 0, model: "gpt-image-1.5" };
    const bad: [unknown, string][] = [
      [{}, "cells"],
      [{ cells: [] }, "cells"],
      [{ cells: [{ promptIndex: -1, model: "local-preview" }] }, "cells.0.promptIndex"],
      [{ cells: [{ promptIndex: 0.5, model: "local-preview" }] }, "cells.0.promptIndex"],
      [{ cells: [{ promptIndex: 0, model: "" }] }, "cells.0.model"],
      [{ cells: [gpt, gpt] }, "cells.1"],
    ];
    for (const [body, path] of bad) {
      const answer = await takes(id, body, owner);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect((answer.json.issues as { path: string }[]).map((i) => i.path)).toContain(path);
    }
    expect(
      (await takes(id, { cells: [{ promptIndex: 3, model: "local-preview" }] }, owner)).json,
    ).toMatchObject({
      error: "This batch has no cell title 4 × local-preview.",
    });
    expect((await takes(id, { cells: [gpt] })).status).toBe(403);
    expect((await takes(id, { cells: [gpt] }, { ...owner, "sec-fetch-site": "cross-site" })).status).toBe(
      403,
    );
    // $0.05 spent of $0.06: another $0.05 picture would pass the budget; a free preview would not.
    const over = await takes(id, { cells: [gpt] }, owner);
    expect(over.status).toBe(409);
    expect(over.json.error).toMatch(/more than is left of this batch's budget \(\$[\d.]+ of \$0\.06\)/);
    const unchanged = await settled(stack.appUrl, id);
    expect(unchanged.cells).toEqual(batch.cells);

    const free = await takes(id, { cells: [{ promptIndex: 0, model: "local-preview" }] }, owner);
    expect(free.status).toBe(200);
    const running = await takes(id, { cells: [{ promptIndex: 0, model: "local-preview" }] }, owner);
    expect([200, 409]).toContain(running.status);
    // Asked again before the first take ended: refused as already under way.
    if (running.status === 409)
      expect(running.json.error).toBe("A new take of title 1 × local-preview is already under way.");
    expect((await settled(stack.appUrl, id)).status).toBe("succeeded");
    // A mark made before that take (a copy of the tab) names the calls it saw: refused, not paid twice.
    const before = cellAt(batch, 0, "local-preview").attempts;
    const stale = await takes(
      id,
      { cells: [{ promptIndex: 0, model: "local-preview", attempts: before }] },
      owner,
    );
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatch(
      /^The cell title 1 × local-preview has had a new take since this page showed it/,
    );
    expect(cellAt(await settled(stack.appUrl, id), 0, "local-preview").take).toBe(
      running.status === 200 ? 2 : 1,
    );
  });

  it("refuses a take while the batch runs when the images still being made would leave no budget for it", async () => {
    // The second picture is under way until the take has been asked for.
    const release = sim.hold((prompt) => prompt.includes("Paid later"));
    const created = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Paid first", "Paid later"],
      models: ["gpt-image-1.5"],
      budgetUsd: 0.1,
    });
    if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
    const { id, ownerToken } = created;
    const owner = bearer(ownerToken);
    try {
      await until("the first image", async () => {
        const read = await readAs(stack.appUrl, id, ownerToken);
        return read.status === "running" && cellAt(read, 0, "gpt-image-1.5").status === "succeeded"
          ? read
          : undefined;
      });
      // $0.05 spent, $0.05 owed to the image under way: a $0.05 take would pass the $0.10 budget.
      const refused = await takes(id, { cells: [{ promptIndex: 0, model: "gpt-image-1.5" }] }, owner);
      expect(refused.status).toBe(409);
      expect(refused.json.error).toBe(
        "1 new take would cost about $0.05, more than is left of this batch's budget once the images still being made are paid for ($0.00 of $0.10).",
      );
    } finally {
      release();
    }
    const done = await settled(stack.appUrl, id);
    expect(done.status).toBe("succeeded");
    expect(done.cells.map((c) => c.take)).toEqual([0, 0]);
  });

  it("queues a new take asked for in the browser while the batch runs; the batch's run makes it next", async () => {
    sim.reset();
    // The second picture is under way until the take has been asked for.
    const release = sim.hold((prompt) => prompt.includes("Slow coach"));
    const created = await submitBatch(stack.appUrl, {
      ...BASE_REQUEST,
      prompts: ["Early bird", "Slow coach"],
      models: ["gpt-image-1.5"],
    });
    if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
    const { id, ownerToken } = created;
    const browser = await openBrowser();
    try {
      await browser.context.addCookies([{ name: `owner_${id}`, value: ownerToken, url: stack.appUrl }]);
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${id}`);
      // The first image is in while the second is still being made: its New take is offered already.
      const take = page.getByRole("button", { name: "New take · $0.05: “Early bird”, GPT Image 1.5" });
      await take.click({ timeout: 30_000 });
      await page.getByRole("button", { name: "Make new takes" }).click();
      // Sent and accepted: the bar says so (a refusal would show there as an alert).
      await expect
        .poll(() => page.getByTestId("takes-sent").textContent())
        .toBe("Asked for 1 new take: each picture stays until its new one is ready.");
      const bar = page.getByRole("region", { name: "New takes" });
      expect(await bar.getByRole("alert").count()).toBe(0);
      // While the take waits its turn, the bar can be put away by keyboard: it covers the grid's bottom.
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
        "takes-sent",
      );
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
        "Dismiss this message",
      );
      await page.keyboard.press("Enter");
      await expect.poll(() => bar.count()).toBe(0);
      const queued = await readAs(stack.appUrl, id, ownerToken);
      expect(queued.status).toBe("running");
      expect(cellAt(queued, 0, "gpt-image-1.5")).toMatchObject({ take: 1 });
      // The keyboard goes to the card of the take (no link or button on it while it is made), not to
      // the page's body, and stays there when the take ends.
      const active = () =>
        page.evaluate(() => ({
          cell: document.activeElement?.getAttribute("data-cell-id"),
          label: document.activeElement?.getAttribute("aria-label"),
        }));
      expect(await page.getByTestId("cell-taking").count()).toBe(1);
      expect(await active()).toEqual({
        cell: cellAt(queued, 0, "gpt-image-1.5").id,
        label: "GPT Image 1.5: “Early bird”",
      });
      release();

      const done = await settled(stack.appUrl, id);
      expect(done.status).toBe("succeeded");
      expect(cellAt(done, 0, "gpt-image-1.5")).toMatchObject({ status: "succeeded", take: 1 });
      // Three calls: both titles once, and the take once, after the call under way when it was asked.
      expect(sim.requests.map((r) => r.attempt).sort()).toEqual([1, 1, 2]);
      const again = sim.requests.find((r) => r.attempt === 2)!;
      const slow = sim.requests.find((r) => r.promptHash !== again.promptHash)!;
      expect(again.startedAt).toBeGreaterThanOrEqual(slow.endedAt ?? Infinity);
      await expect
        .poll(() => page.getByTestId("batch-status").textContent(), { timeout: 30_000 })
        .toBe("Status: succeeded");
      expect((await active()).cell).toBe(cellAt(done, 0, "gpt-image-1.5").id);
    } finally {
      release();
      await browser.close();
    }
  });

  it("prices a take as the studio's model cards do, to the tenth of a cent", async () => {
    const { id, token } = await finishedBatch(["Priced right"], {
      models: ["gpt-image-1-mini", "gemini-3-pro-image"],
    });
    const browser = await openBrowser();
    try {
      await browser.context.addCookies([{ name: `owner_${id}`, value: token, url: stack.appUrl }]);
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${id}`);
      const label = (model: string) =>
        page
          .locator(`[data-model="${model}"]`)
          .getByRole("button", { name: /^New take/ })
          .textContent();
      // $0.015 was shown as "$0.01" and $0.134 as "$0.13", below what each take costs.
      await expect.poll(() => label("gpt-image-1-mini")).toBe("New take · $0.015");
      expect(await label("gemini-3-pro-image")).toBe("New take · $0.134");
      // The bar's total and the cost table say amounts as truly (they read "$0.01" and "$0.13").
      await page
        .locator(`[data-model="gpt-image-1-mini"]`)
        .getByRole("button", { name: /^New take/ })
        .click();
      await expect
        .poll(() => page.getByTestId("takes-summary").textContent())
        .toBe("New takes of 1 image · about $0.015");
      await page.getByText(/^Cost:/).click();
      const cells = (model: string) =>
        page
          .getByRole("row", { name: new RegExp(`^${model} `) })
          .getByRole("cell")
          .allTextContents();
      expect((await cells("GPT Image 1 mini"))[3]).toBe("$0.015");
      expect((await cells("Gemini 3 Pro Image"))[3]).toBe("$0.134");
    } finally {
      await browser.close();
    }
  });

  it("offers New take to the owner only: marks sent together with JavaScript, a form post without", async () => {
    const { id, token, batch } = await finishedBatch(["Pressed in the browser"]);
    const old = cellAt(batch, 0, "local-preview");
    for (const javaScriptEnabled of [true, false]) {
      const browser = await openBrowser({ javaScriptEnabled });
      try {
        const page = await browser.context.newPage();
        await page.goto(`${stack.appUrl}/b/${id}`);
        // A visitor sees the pictures, not the control.
        expect(await page.getByRole("button", { name: /^New take/ }).count()).toBe(0);
        await browser.context.addCookies([{ name: `owner_${id}`, value: token, url: stack.appUrl }]);
        await page.reload();
        const preview = page.getByRole("button", {
          name: `New take · free: “${old.prompt}”, Preview (offline)`,
        });
        const gpt = page.getByRole("button", { name: `New take · $0.05: “${old.prompt}”, GPT Image 1.5` });
        await expect.poll(() => page.getByRole("button", { name: /^New take/ }).count()).toBe(2);
        const src = () => page.locator(`[data-model="local-preview"] a img`).getAttribute("src");
        const first = await src();
        if (!javaScriptEnabled) {
          await preview.click();
          await page.waitForURL(`${stack.appUrl}/b/${id}`);
          const done = await settled(stack.appUrl, id);
          await page.reload();
          await expect.poll(src, { timeout: 30_000 }).not.toBe(first);
          expect(cellAt(done, 0, "local-preview").take).toBe(3);
          // Another take, as a plain form post too: the first of three, the first picture (shown
          // last before this take).
          const shown = await src();
          await page
            .getByRole("button", { name: `Use other take 1 of 3: “${old.prompt}”, Preview (offline)` })
            .click();
          await page.waitForURL(`${stack.appUrl}/b/${id}`);
          await expect.poll(src).not.toBe(shown);
          expect(cellAt(await readAs(stack.appUrl, id, token), 0, "local-preview").imageUrl).toBe(
            old.imageUrl,
          );
          continue;
        }
        expect(await checkA11y(page)).toEqual([]);
        // Marks first, with the price of them all; nothing is spent until they are sent.
        const before = sim.requests.length;
        const summary = page.getByTestId("takes-summary");
        await preview.click();
        await gpt.click();
        expect(await preview.getAttribute("aria-pressed")).toBe("true");
        await expect.poll(() => summary.textContent()).toBe("New takes of 2 images · about $0.05");
        await gpt.click();
        await expect.poll(() => summary.textContent()).toBe("New takes of 1 image · free");
        expect(await gpt.getAttribute("aria-pressed")).toBe("false");
        // In a small window (200% zoom) no control the keyboard reaches is left under the bar.
        await page.setViewportSize({ width: 640, height: 450 });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        const covered: string[] = [];
        for (let i = 0; i < 80; i++) {
          await page.keyboard.press("Tab");
          const under = await focusUnderBar(page);
          if (under) covered.push(under);
          if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === "Clear") break;
        }
        expect(covered).toEqual([]);
        await page.setViewportSize({ width: 1280, height: 900 });
        // By keyboard: a marked cell's button is followed by one to the bar (which comes after the
        // whole grid), shown while focused; an unmarked cell has none.
        const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
        await gpt.focus();
        await page.keyboard.press("Tab");
        expect(await focused()).not.toMatch(/^Go to New takes/);
        await preview.focus();
        await page.keyboard.press("Tab");
        expect(await focused()).toBe("Go to New takes (1)");
        await page.keyboard.press("Enter");
        expect(await focused()).toBe("Make new takes");
        await page.keyboard.press("Enter");
        await expect.poll(src, { timeout: 30_000 }).not.toBe(first);
        // The take has ended: the bar saying it was asked for goes with it, off the grid's bottom, and
        // the keyboard, which was on it, goes to the new picture.
        await expect.poll(() => page.getByRole("region", { name: "New takes" }).count()).toBe(0);
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
          .toBe(`Open Preview (offline) image for “${old.prompt}”`);
        const done = await settled(stack.appUrl, id);
        expect([cellAt(done, 0, "local-preview").take, cellAt(done, 0, "gpt-image-1.5").take]).toEqual([
          1, 0,
        ]);
        expect(sim.requests.length).toBe(before);
        // The replaced picture is the other take: one click shows it again, another switches back.
        const other = page.getByRole("button", {
          name: `Use other take: “${old.prompt}”, Preview (offline)`,
        });
        await other.click();
        await expect.poll(src).toBe(first);
        // The keyboard stays on the control (the clicked button made way for the picture it replaced).
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
          .toBe(`Use other take: “${old.prompt}”, Preview (offline)`);
        await page.keyboard.press("Enter");
        await expect.poll(src).not.toBe(first);
        expect(await checkA11y(page)).toEqual([]);
        // The lightbox marks too, beside the picture at full size.
        const second = await src();
        await page.getByRole("link", { name: `Open Preview (offline) image for “${old.prompt}”` }).click();
        const dialog = page.getByRole("dialog");
        await dialog.getByRole("button", { name: /^New take · free/ }).click();
        expect(
          await dialog.getByRole("button", { name: /New take · free/ }).getAttribute("aria-pressed"),
        ).toBe("true");
        await page.keyboard.press("Escape");
        await expect.poll(() => summary.textContent()).toBe("New takes of 1 image · free");
        await page.getByRole("button", { name: "Make new takes" }).click();
        await expect.poll(src, { timeout: 30_000 }).not.toBe(second);
        expect(cellAt(await settled(stack.appUrl, id), 0, "local-preview").take).toBe(2);
        // Two other takes now, most recently shown first: the second is the first picture.
        const takeButton = (n: number) =>
          page.getByRole("button", { name: `Use other take ${n} of 2: “${old.prompt}”, Preview (offline)` });
        await expect.poll(() => takeButton(1).count()).toBe(1);
        await takeButton(2).click();
        await expect.poll(src).toBe(first);
        expect(await checkA11y(page)).toEqual([]);
        // Switched elsewhere just before this page's switch lands (another tab, the CLI): the take it
        // names is shown already, so it is refused, and the bar says why. Put away with no marks left
        // (no bar after it), the message leaves the keyboard on the cell's other takes, not the body.
        await page.route(`**/api/batches/${id}/alternate`, async (route) => {
          const pick = { cells: [{ promptIndex: 0, model: "local-preview" }] };
          expect((await post(stack.appUrl, `/api/batches/${id}/alternate`, pick, bearer(token))).status).toBe(
            200,
          );
          await route.continue();
        });
        await takeButton(1).click();
        const bar = page.getByRole("region", { name: "New takes" });
        await expect
          .poll(() => bar.getByRole("alert").textContent())
          .toMatch(/^Only a finished image with .+ can switch to it/);
        await page.unroute(`**/api/batches/${id}/alternate`);
        expect(await summary.count()).toBe(0);
        await bar.getByRole("button", { name: "Dismiss this message" }).focus();
        await page.keyboard.press("Enter");
        await expect.poll(() => bar.count()).toBe(0);
        expect(
          await page.evaluate(() => ({
            cell: document.activeElement?.closest("[data-cell-id]")?.getAttribute("data-cell-id"),
            label: document.activeElement?.getAttribute("aria-label"),
          })),
        ).toEqual({ cell: old.id, label: `Use other take 1 of 2: “${old.prompt}”, Preview (offline)` });
        // Back to the first picture, with the other takes in their order before (the form posts below
        // count on it).
        const back = { cells: [{ promptIndex: 0, model: "local-preview" }] };
        expect((await post(stack.appUrl, `/api/batches/${id}/alternate`, back, bearer(token))).status).toBe(
          200,
        );
        await expect.poll(src).toBe(first);
      } finally {
        await browser.close();
      }
    }
  });
  it("sweeps files no picture uses out of storage, on request, and keeps every picture", async () => {
    const { id } = await finishedBatch(["Sweep around me"]);
    const strays = [
      `raw/${"a".repeat(64)}.png`,
      `final/${id}/0-local-preview-t9.jpg`,
      "final/b000000000000000000000deleted/0-local-preview.jpg",
    ];
    for (const key of strays) {
      const file = path.join(stack.dataDir, "blob", ...key.split("/"));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, "not a picture anyone uses");
      // Two minutes old: past the grace (no sidecar, so the file's time is its upload time).
      const old = new Date(Date.now() - 120_000);
      utimesSync(file, old, old);
    }
    const sent = await fetch(`${stack.engineUrl}/e/${stack.keys.eventKey}`, {
      method: "POST",
      body: JSON.stringify({ name: "storage/sweep.requested", data: {} }),
    });
    expect(sent.status).toBe(200);
    const run = await until("the storage sweep", async () => {
      const res = await stack.engineApi("/v1/runs?function_id=thumbnail-studio-sweep-storage");
      const runs = ((await res.json()) as { data: { status: string; output: unknown }[] }).data;
      return runs.find((r) => r.status === "Completed");
    });
    type Swept = { orphans: number; deleted: number; complete: boolean };
    const output = run.output as Record<"raws" | "batchFiles", Swept>;
    expect(output.raws).toMatchObject({ complete: true });
    expect(output.raws.deleted).toBeGreaterThanOrEqual(1);
    expect(output.batchFiles.deleted).toBeGreaterThanOrEqual(2);
    expect(output.batchFiles).toMatchObject({ complete: true });
    for (const key of strays)
      expect(blobFiles(stack.dataDir, path.dirname(key))).not.toContain(path.basename(key));
    // Every picture of every batch made in this file still loads, other takes too.
    let others = 0;
    const list = await (await fetch(`${stack.appUrl}/api/batches?limit=100`)).json();
    for (const { id: batchId } of (list as { batches: { id: string }[] }).batches) {
      await settled(stack.appUrl, batchId);
      const batch = await readAs(stack.appUrl, batchId, ADMIN);
      for (const cell of batch.cells.filter((c) => c.status === "succeeded")) {
        expect((await bytesOf(cell.imageUrl!)).status).toBe(200);
        for (const other of cell.otherTakes)
          expect((await bytesOf(other.url)).status, `${others++}`).toBe(200);
      }
    }
    expect(others).toBeGreaterThan(2);
  });
});
