/**
 * A batch the workflow engine never starts (here: an engine that has not synced the app, so the
 * batch/requested event triggers nothing) must not look like slow progress forever: after
 * ENGINE_STALL_MS the batch page says what is wrong and what to do.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_STALL_MS } from "@/lib/batches/stalled";
import { submitBatch } from "../../scripts/lib/batch-client";
import { spawnEngine, waitForHttp, type Proc } from "../../scripts/lib/processes";
import { openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

let stack: Stack;
let unsynced: Proc | undefined;
const engineDir = mkdtempSync(path.join(os.tmpdir(), "engine-unsynced-"));

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
  });
  await waitForHttp(`${stack.engineUrl}/health`, 30_000, unsynced);
});

afterAll(async () => {
  await unsynced?.kill("SIGKILL");
  await stack?.stop();
  rmSync(engineDir, { recursive: true, force: true });
});

describe("a batch the engine never starts", () => {
  it("is flagged on its page once it has waited too long, with what to check", async () => {
    const created = await submitBatch(stack.appUrl, {
      prompts: ["Never picked up"],
      models: ["local-preview"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
    });
    if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${created.id}`);
      expect(await page.getByTestId("batch-status").textContent()).toBe("Status: queued");
      const hint = page.getByText("Not started yet: the workflow engine has not picked this batch up.");
      expect(await hint.count()).toBe(0);
      await hint.waitFor({ timeout: ENGINE_STALL_MS + 10_000 });
      expect(await hint.textContent()).toContain("has synced this app, then submit the batch again");
    } finally {
      await browser.close();
    }
  });
});
