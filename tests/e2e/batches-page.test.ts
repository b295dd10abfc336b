/**
 * The batches page in Chromium: every batch newest first, including one that failed with no image (so the
 * gallery cannot show it), each linked to its page, with its cover image, the browser's own marked; status
 * filters; clear messages for bad links; the same list with JavaScript off; a running batch followed to
 * its end while the page is open.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, settled } from "../fixtures/batch-helpers";
import { checkA11y } from "../helpers/a11y";
import { artifactsDir, openBrowser, type Browser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

let sim: Simulator;
let stack: Stack;
let browser: Browser;
let mine: string;
let made: string;
let failed: string;

async function create(body: object): Promise<string> {
  const res = await submitBatch(stack.appUrl, { ...BASE_REQUEST, ...body });
  if (!res.ok) throw new Error(res.error);
  await settled(stack.appUrl, res.id);
  return res.id;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: "fast" });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url });
  browser = await openBrowser();
  // Made through this browser's own requests, so it holds the batch's owner cookie.
  const res = await browser.context.request.post(`${stack.appUrl}/api/batches`, {
    data: { ...BASE_REQUEST, prompts: ["Made in this browser"] },
  });
  mine = ((await res.json()) as { id: string }).id;
  await settled(stack.appUrl, mine);
  made = await create({ prompts: ["Listed with a cover", "Second title"] });
  failed = await create({ prompts: ["Refused by the provider [sim:moderation]"], models: ["gpt-image-1.5"] });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await sim?.close();
});

const rows = (page: import("playwright-core").Page) =>
  page
    .getByTestId("batch-row")
    .evaluateAll((els) => els.map((e) => [e.getAttribute("data-id"), e.getAttribute("data-status")]));

describe("batches page", () => {
  it("lists every batch newest first, a failed one without images too, and opens a batch", async () => {
    const page = await browser.context.newPage();
    await page.goto(stack.appUrl, { waitUntil: "load" });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Batches" }).click();
    await page.waitForURL(`${stack.appUrl}/batches`);
    expect(await rows(page)).toEqual([
      [failed, "failed"],
      [made, "succeeded"],
      [mine, "succeeded"],
    ]);
    const yours = page.getByTestId("batch-row").filter({ hasText: "Yours" });
    expect(await yours.evaluateAll((els) => els.map((e) => e.getAttribute("data-id")))).toEqual([mine]);
    const failedRow = page.locator(`[data-id="${failed}"]`);
    expect(await failedRow.textContent()).toMatch(/No image(?! yet)/);
    expect(await failedRow.textContent()).toContain("0/1 images");
    const madeRow = page.locator(`[data-id="${made}"]`);
    expect(await madeRow.textContent()).toContain("Listed with a cover +1 more");
    expect(await madeRow.textContent()).toContain("2/2 images");
    // The look as the gallery names it, not "photorealistic · bottom-bar · inter".
    expect(await madeRow.textContent()).toContain(
      "2 titles × 1 model (Preview (offline)) · Photorealistic · Bottom bar · Inter",
    );
    const cover = madeRow.locator("img");
    // A loaded picture has a width; on a busy machine the first fetch can take more than a second.
    await expect
      .poll(
        () =>
          cover.evaluate((i) =>
            (i as HTMLImageElement).complete ? (i as HTMLImageElement).naturalWidth : 0,
          ),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    expect(await checkA11y(page)).toEqual([]);
    await page.screenshot({ path: path.join(artifactsDir, "batches-page.png"), fullPage: true });

    await page.getByRole("link", { name: "Failed", exact: true }).click();
    await page.waitForURL(`${stack.appUrl}/batches?status=failed`);
    expect(await rows(page)).toEqual([[failed, "failed"]]);
    expect(await page.getByRole("link", { name: "Failed", exact: true }).getAttribute("aria-current")).toBe(
      "page",
    );
    await page.getByRole("link", { name: "Cancelled", exact: true }).click();
    await page.waitForURL(/status=cancelled/);
    expect(await page.getByTestId("batches-empty").textContent()).toContain("No cancelled batches.");

    await page.getByRole("link", { name: "All", exact: true }).click();
    await page.waitForURL(`${stack.appUrl}/batches`);
    await madeRow.getByRole("link").click();
    await page.waitForURL(`${stack.appUrl}/b/${made}`);
    await page.close();
  });

  it("GET /api/batches gives each batch its cover image URL, or null when it has none", async () => {
    const res = await fetch(`${stack.appUrl}/api/batches?limit=10`);
    const { batches } = (await res.json()) as { batches: { id: string; cover: string | null }[] };
    const cover = (id: string) => batches.find((b) => b.id === id)?.cover;
    expect(cover(failed)).toBeNull();
    expect(cover(made)).toMatch(new RegExp(`^/api/blob/final/${made}/0-local-preview\\.jpg\\?v=\\d+$`));
    const image = await fetch(`${stack.appUrl}${cover(made)}`);
    expect([image.status, image.headers.get("content-type")]).toEqual([200, "image/jpeg"]);
  });

  it("says what is wrong with a bad status or page link, and still offers the list", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.appUrl}/batches?status=done`, { waitUntil: "load" });
    // (Next's route announcer is an alert too.)
    const alert = (text: string) => page.getByRole("alert").filter({ hasText: text });
    expect(await alert('There is no status "done".').count()).toBe(1);
    expect(await rows(page)).toHaveLength(3);
    await page.goto(`${stack.appUrl}/batches?cursor=junk`, { waitUntil: "load" });
    expect(await alert("That page link is not valid any more.").count()).toBe(1);
    await page.getByRole("link", { name: "Show the newest batches" }).click();
    await page.waitForURL(`${stack.appUrl}/batches`);
    expect(await rows(page)).toHaveLength(3);
    await page.close();
  });

  it("is the same list with JavaScript off", async () => {
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${stack.appUrl}/batches?status=succeeded`, { waitUntil: "load" });
      expect(await rows(page)).toEqual([
        [made, "succeeded"],
        [mine, "succeeded"],
      ]);
      // Another browser holds no owner cookie: nothing is marked as its own.
      expect(await page.getByText("Yours", { exact: true }).count()).toBe(0);
      // Finding a batch by text in any of its titles keeps the status filter, and the other way round.
      await page.getByLabel("A title contains").fill("second TITLE");
      await page.getByRole("button", { name: "Find" }).click();
      await page.waitForURL(/q=second\+TITLE/);
      expect(await rows(page)).toEqual([[made, "succeeded"]]);
      await page.getByRole("link", { name: "Failed", exact: true }).click();
      await page.waitForURL(/status=failed/);
      expect(page.url()).toContain("q=second+TITLE");
      expect(await rows(page)).toEqual([]);
      expect(await page.getByTestId("batches-empty").textContent()).toContain(
        "No failed batch has a title containing “second TITLE”.",
      );
      const api = await fetch(`${stack.appUrl}/api/batches?q=${encodeURIComponent("[sim:moderation]")}`);
      expect(((await api.json()) as { batches: { id: string }[] }).batches.map((b) => b.id)).toEqual([
        failed,
      ]);
    } finally {
      await noJs.close();
    }
  });

  it("follows a running batch to its end without a reload", async () => {
    // The picture waits until the page has shown the batch at work.
    const release = sim.hold();
    const page = await browser.context.newPage();
    try {
      const res = await submitBatch(stack.appUrl, {
        ...BASE_REQUEST,
        prompts: ["Takes a while"],
        models: ["gpt-image-1.5"],
      });
      if (!res.ok) throw new Error(res.error);
      await page.goto(`${stack.appUrl}/batches`, { waitUntil: "load" });
      const row = page.locator(`[data-id="${res.id}"]`);
      expect(await row.getAttribute("data-status")).toMatch(/queued|running/);
      // A reload would start the page's scripts afresh, losing this.
      await page.evaluate(() => Object.assign(window, { notReloaded: true }));
      release();
      await expect.poll(() => row.getAttribute("data-status"), { timeout: 30_000 }).toBe("succeeded");
      expect(await row.textContent()).toContain("1/1 images");
      expect(await page.evaluate(() => "notReloaded" in window)).toBe(true);
    } finally {
      release();
      await page.close();
    }
  });
});
