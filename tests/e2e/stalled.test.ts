/**
 * A batch the workflow engine never starts (here: an engine that has not synced the app, so the
 * batch/requested event triggers nothing) must not look like slow progress forever: after
 * ENGINE_STALL_MS the batch page says what is wrong, and its creator can send it again once the engine
 * is right. Sending a batch twice never runs it twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_STALL_MS } from "@/lib/batches/stalled";
import { submitBatch } from "../../scripts/lib/batch-client";
import { spawnEngine, waitForAppSync, waitForHttp, type Proc } from "../../scripts/lib/processes";
import { bearer, post, settled } from "../fixtures/batch-helpers";
import { openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

let stack: Stack;
let unsynced: Proc | undefined;
const engineDir = mkdtempSync(path.join(os.tmpdir(), "engine-unsynced-"));
const freshEngineDir = mkdtempSync(path.join(os.tmpdir(), "engine-fresh-"));

beforeAll(async () => {
  stack = await startStack();
  // Replace the engine with a fresh one on the same port that knows no app: events are accepted
  // (so the submit succeeds) but start no run.
  await stack.engine.kill("SIGKILL");
  unsynced = spawnEngine({
    port: Number(new URL(stack.engineUrl).port),
    appUrl: "http://127.0.0.1:9/no-app",
    dataDir: engineDir,
    io: "ignore",
    keys: stack.keys,
  });
  await waitForHttp(`${stack.engineUrl}/health`, 30_000, unsynced);
});

afterAll(async () => {
  await unsynced?.kill("SIGKILL");
  await stack?.stop();
  for (const dir of [engineDir, freshEngineDir]) rmSync(dir, { recursive: true, force: true });
});

describe("a batch the engine never starts", () => {
  it("is flagged on its page once it has waited too long, and starts when its creator sends it again", async () => {
    const created = await submitBatch(stack.appUrl, {
      prompts: ["Never picked up", "Until sent again"],
      models: ["local-preview"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
    });
    if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
    const resend = `/api/batches/${created.id}/resend`;
    const early = await post(stack.appUrl, resend, undefined, bearer(created.ownerToken));
    expect([early.status, early.json.error]).toEqual([409, expect.stringMatching(/wait \d+ s more/)]);
    expect((await post(stack.appUrl, resend)).status).toBe(403);

    const browser = await openBrowser();
    await browser.context.addCookies([
      { name: `owner_${created.id}`, value: created.ownerToken, url: stack.appUrl },
    ]);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${created.id}`);
      expect(await page.getByTestId("batch-status").textContent()).toBe("Status: queued");
      const hint = page.getByText("Not started yet: the workflow engine has not picked this batch up.");
      expect(await hint.count()).toBe(0);
      await hint.waitFor({ timeout: ENGINE_STALL_MS + 10_000 });
      expect(await hint.textContent()).toContain("has synced this app, then send the batch to it again");

      // Without JavaScript the server renders the hint and its form, and the page the form posts back
      // to says the batch went out (the hint waits again meanwhile, as it does with JavaScript).
      const noJs = await openBrowser({ javaScriptEnabled: false });
      try {
        await noJs.context.addCookies([
          { name: `owner_${created.id}`, value: created.ownerToken, url: stack.appUrl },
        ]);
        const plain = await noJs.context.newPage();
        await plain.goto(`${stack.appUrl}/b/${created.id}`);
        const plainHint = plain.getByText(
          "Not started yet: the workflow engine has not picked this batch up.",
        );
        expect(await plainHint.count()).toBe(1);
        await plain.getByRole("button", { name: "Send to the engine again" }).click();
        await plain.waitForURL((url) => url.searchParams.has("done"));
        expect(await plain.getByTestId("form-done").textContent()).toBe("Sent to the engine again.");
        expect(await plain.getByTestId("form-done").getAttribute("role")).toBe("status");
        expect(await plainHint.count()).toBe(0);
        expect(await plain.getByTestId("batch-status").textContent()).toBe("Status: queued");
      } finally {
        await noJs.close();
      }

      // The engine is replaced by one synced with the app but without the old one's data, so the
      // batch's event is gone with it (an engine that kept its data would start the held event's
      // run itself at its first sync): the batch starts when its creator sends it again.
      await unsynced?.kill("SIGKILL");
      unsynced = spawnEngine({
        port: Number(new URL(stack.engineUrl).port),
        appUrl: stack.appUrl,
        dataDir: freshEngineDir,
        io: "ignore",
        keys: stack.keys,
      });
      await waitForAppSync(stack.engineUrl, stack.appUrl);
      await page.getByRole("button", { name: "Send to the engine again" }).click();
      await page.getByText("Sent to the engine again.").waitFor();
      await expect
        .poll(() => page.getByTestId("batch-status").textContent(), { timeout: 60_000 })
        .toBe("Status: succeeded");
      expect(await hint.count()).toBe(0);
    } finally {
      await browser.close();
    }
    const late = await post(stack.appUrl, resend, undefined, bearer(created.ownerToken));
    expect([late.status, late.json.error]).toEqual([409, "This batch has already started."]);
  });

  it("runs a batch once when its event arrives twice", async () => {
    const created = await submitBatch(stack.appUrl, {
      prompts: ["Sent", "twice", "at once"],
      models: ["local-preview"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
    });
    if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
    const duplicate = await fetch(`${stack.engineUrl}/e/${stack.keys.eventKey}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "batch/requested",
        id: `duplicate-${created.id}`,
        data: { batchId: created.id, reason: "resend" },
      }),
    });
    expect(duplicate.ok).toBe(true);
    const batch = await settled(stack.appUrl, created.id);
    expect(batch.status).toBe("succeeded");
    expect(batch.cells.map((c) => c.attempts)).toEqual([1, 1, 1]);
    // The batch row is finished by the winning run's last step, a moment before the engine records
    // that run's output, so the runs are read until both have ended.
    const outcomes = async () => {
      const runs = (await (await stack.engineApi("/v1/runs?function_id=run-batch")).json()) as {
        data: { event: { data: { batchId: string } }; output: { status: string } | null }[];
      };
      const mine = runs.data.filter((r) => r.event.data.batchId === created.id);
      return mine.map((r) => r.output?.status ?? "not ended").sort();
    };
    await expect.poll(outcomes, { timeout: 10_000 }).toEqual(["succeeded", "taken by another run"]);
  });
});
