/**
 * The creator's cancel and resume buttons on the batch page: with JavaScript, and as plain form posts
 * answered by a redirect back to the page. Pictures paid for before the cancel are not paid for again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, bearer, post, settled, until } from "../fixtures/batch-helpers";
import { openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

let sim: Simulator;
let stack: Stack;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { latencyMs: [500, 1000], timeScale: 1 } });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

async function newBatch(prompts: string[]) {
  const created = await submitBatch(stack.appUrl, { ...BASE_REQUEST, prompts, models: ["gpt-image-1.5"] });
  if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
  return created;
}

async function ownerPage(id: string, ownerToken: string, javaScriptEnabled: boolean) {
  const browser = await openBrowser({ javaScriptEnabled });
  await browser.context.addCookies([{ name: `owner_${id}`, value: ownerToken, url: stack.appUrl }]);
  const page = await browser.context.newPage();
  await page.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "load" });
  return { browser, page };
}

const callsEnded = () =>
  until(() => sim.requests.every((r) => r.outcome !== "pending"), "calls in flight to end", 30_000);

describe("cancel and resume on the batch page", () => {
  it("cancels a running batch, then resumes its cancelled cells without paying twice", async () => {
    const before = sim.requests.length;
    // No call answers before the cancel, however slowly the page loads: the batch is surely running.
    const release = sim.hold();
    const { id, ownerToken } = await newBatch(["Stopped halfway", "Also stopped", "Stopped as well"]);
    const { browser, page } = await ownerPage(id, ownerToken, true);
    try {
      const status = () => page.getByTestId("batch-status").textContent();
      await page.getByRole("button", { name: "Cancel batch" }).click();
      await expect.poll(status).toBe("Status: cancelled");
      const reason = page.getByTestId("cancel-reason");
      expect(await reason.textContent()).toBe("Cancelled: cancelled by the owner");
      // Calls in flight at the cancel still finish; their pictures stay on their cells.
      release();
      await callsEnded();
      const resume = page.getByRole("button", { name: /^Resume \d+ cancelled cells?$/ });
      await resume.click();
      // Running again: the cancel is over, whatever the batch still records of it.
      await expect.poll(status).not.toBe("Status: cancelled");
      expect(await reason.count()).toBe(0);
      await expect.poll(status, { timeout: 60_000 }).toBe("Status: succeeded");
      expect(await resume.count()).toBe(0);
      const batch = await settled(stack.appUrl, id);
      expect(batch.cells.map((c) => c.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
      // Each cell was paid for once in all: before the cancel, or after the resume.
      expect(sim.requests.length - before).toBe(3);
    } finally {
      release();
      await browser.close();
    }
  });

  it("resumes with JavaScript off, through a form post and a redirect back to the page", async () => {
    const before = sim.requests.length;
    const release = sim.hold();
    const { id, ownerToken } = await newBatch(["No scripts here", "None at all"]);
    const cancel = await post(stack.appUrl, `/api/batches/${id}/cancel`, undefined, bearer(ownerToken));
    release();
    expect(cancel.status).toBe(200);
    expect((await settled(stack.appUrl, id)).status).toBe("cancelled");
    await callsEnded();
    // A page on another site posting the same form is refused, whatever cookie comes along.
    const forgeries: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { origin: "http://elsewhere.test" },
    ];
    for (const headers of forgeries) {
      const forged = await post(stack.appUrl, `/api/batches/${id}/resume`, undefined, {
        ...bearer(ownerToken),
        ...headers,
      });
      expect(forged.status).toBe(403);
    }
    const { browser, page } = await ownerPage(id, ownerToken, false);
    // The same page open in a second tab, left showing "Resume" after the first resumes.
    const stale = await browser.context.newPage();
    await stale.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "load" });
    try {
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/api/batches/${id}/resume`)),
        page.getByRole("button", { name: /^Resume \d+ cancelled cells?$/ }).click(),
      ]);
      expect(answer.status()).toBe(303);
      // Back on the page at the address the browser used (not the one Next listens on).
      await page.waitForURL(`${stack.appUrl}/b/${id}`);
      expect((await settled(stack.appUrl, id)).status).toBe("succeeded");
      await page.reload();
      expect(await page.getByTestId("batch-status").textContent()).toBe("Status: succeeded");
      expect(sim.requests.length - before).toBe(2);
      // Refused there: back on the page (not the API's JSON), which says why.
      await stale.getByRole("button", { name: /^Resume \d+ cancelled cells?$/ }).click();
      await stale.waitForURL((url) => url.pathname === `/b/${id}` && url.searchParams.has("notice"));
      expect(await stale.getByTestId("form-notice").textContent()).toBe(
        "Not done: This batch has no cancelled cells to resume.",
      );
      expect(await stale.getByTestId("batch-status").textContent()).toBe("Status: succeeded");
    } finally {
      await browser.close();
    }
  });
});
