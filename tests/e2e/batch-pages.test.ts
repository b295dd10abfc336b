/**
 * A batch with more titles than a page holds (BATCH_PAGE_TITLES, 2 here) shows its grid a page at a
 * time: plain links between pages, with and without JavaScript, while the header still counts the
 * whole batch live; the page sends only its own cells' records.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockedForContent } from "@/lib/batches/blocked";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, bearer, cellAt, post, readAs, settled } from "../fixtures/batch-helpers";
import { checkA11y } from "../helpers/a11y";
import { openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

let sim: Simulator;
let stack: Stack;
const MODELS = ["gpt-image-1.5", "gemini-3-pro-image"];
const TITLES = ["First of five", "Second of five", "Third of five", "Fourth of five", "Fifth of five"];

beforeAll(async () => {
  // Slow enough that the page is open while the batch runs.
  sim = await startSimulator({ port: 0, profile: { latencyMs: [1500, 3000], timeScale: 1 } });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url, BATCH_PAGE_TITLES: "2" });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

async function submitted(prompts: string[], models: string[]) {
  const created = await submitBatch(stack.appUrl, { ...BASE_REQUEST, prompts, models });
  if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
  return created;
}

async function newBatch(prompts = TITLES) {
  return (await submitted(prompts, MODELS)).id;
}

/** A finished batch of the offline preview (free takes), with its owner token. */
async function finishedPreview(prompts = TITLES) {
  const created = await submitted(prompts, ["local-preview"]);
  expect((await settled(stack.appUrl, created.id)).status).toBe("succeeded");
  return created;
}

describe("a batch page a page of titles at a time", () => {
  it("shows one page of the grid, counts the whole batch live, and links to the other pages", async () => {
    // The last title is refused by both models: its page is the one with failures.
    // No answer comes before the page has shown cells at work, however slow the machine.
    const release = sim.hold();
    const id = await newBatch([...TITLES.slice(0, 4), "Fifth of five [sim:moderation]"]);
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      // Someone who asks for less motion gets no endless pulsing of the cells still at work.
      await page.emulateMedia({ reducedMotion: "reduce" });
      await page.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "load" });
      const endless = () =>
        page.evaluate(
          () =>
            document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations === Infinity)
              .length,
        );
      expect(await page.locator(".animate-pulse").count()).toBeGreaterThan(0);
      expect(await endless()).toBe(0);
      release();
      await page.emulateMedia({ reducedMotion: "no-preference" });
      const pager = page.getByTestId("batch-pager").first();
      await expect.poll(() => pager.textContent()).toContain("Titles 1–2 of 5");
      const shown = () =>
        page
          .getByTestId("cell")
          .evaluateAll((els) =>
            els.map((e) => `${e.getAttribute("data-prompt-index")}:${e.getAttribute("data-model")}`),
          );
      expect(await shown()).toEqual([
        "0:gpt-image-1.5",
        "0:gemini-3-pro-image",
        "1:gpt-image-1.5",
        "1:gemini-3-pro-image",
      ]);
      // Live, without a reload: the header counts all ten cells, not only the four shown.
      const summary = page.getByTestId("batch-summary");
      await expect
        .poll(() => summary.textContent(), { timeout: 60_000 })
        .toContain("10/10 done · 8 succeeded · 2 failed");
      // The batch's own status comes with its finish event, which can follow the last cell's.
      await expect.poll(() => page.getByTestId("batch-status").textContent()).toBe("Status: partial");
      await expect
        .poll(() => page.locator('[data-testid="cell"][data-status="succeeded"] img').count())
        .toBe(4);
      // Screen readers are told the end once, with its counts, in a polite live region.
      const announcer = page.getByRole("status").and(page.getByTestId("batch-announcer"));
      await expect.poll(() => announcer.textContent()).toBe("Batch finished: 8 succeeded, 2 failed.");
      // The cost table also covers every cell, naming models as the grid does.
      await page.getByText(/^Cost:/).click();
      expect(await page.getByRole("row", { name: /^GPT Image 1\.5 / }).textContent()).toContain("4/5");
      // The way to the failures on another page.
      expect(await page.getByTestId("failed-pages").first().textContent()).toBe("Failed cells on page3");

      await pager.getByRole("link", { name: "Next →" }).click();
      await page.waitForURL(`${stack.appUrl}/b/${id}?page=2`);
      // Opened after the end: nothing to announce, the page says it.
      expect(await page.getByTestId("batch-announcer").textContent()).toBe("");
      expect(await shown()).toEqual([
        "2:gpt-image-1.5",
        "2:gemini-3-pro-image",
        "3:gpt-image-1.5",
        "3:gemini-3-pro-image",
      ]);
      expect(await page.getByRole("rowheader").allTextContents()).toEqual([
        "3. Third of five",
        "4. Fourth of five",
      ]);
      await page.getByRole("link", { name: "Page 3, with failed cells" }).first().click();
      await page.waitForURL(`${stack.appUrl}/b/${id}?page=3`);
      expect(await shown()).toEqual(["4:gpt-image-1.5", "4:gemini-3-pro-image"]);
      expect(await page.locator('[data-testid="cell"][data-status="failed"]').count()).toBe(2);
      expect(await checkA11y(page)).toEqual([]);
      expect(
        await page.getByTestId("batch-pager").first().getByRole("link", { name: "Next →" }).count(),
      ).toBe(0);
      // A page past the end shows the last one.
      await page.goto(`${stack.appUrl}/b/${id}?page=40`, { waitUntil: "load" });
      expect(await shown()).toEqual(["4:gpt-image-1.5", "4:gemini-3-pro-image"]);
    } finally {
      release();
      await browser.close();
    }
  });

  it("steps the lightbox past a page's end to the nearest page with images, and back", async () => {
    // Page 2 (titles 3 and 4) has no image: the lightbox goes from page 1 to page 3 and back.
    const blocked = (t: string) => `${t} [sim:moderation]`;
    const id = await newBatch(["One", "Two", blocked("Three"), blocked("Four"), "Five"]);
    expect((await settled(stack.appUrl, id)).counts.succeeded).toBe(6);
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "load" });
      const dialog = page.getByTestId("lightbox");
      const where = async () => [
        await dialog.getByTestId("lightbox-position").textContent(),
        await dialog.locator("h2").textContent(),
      ];
      await page.getByRole("link", { name: "Open GPT Image 1.5 image for “One”" }).click();
      expect(await dialog.getByRole("button", { name: "Previous image" }).isDisabled()).toBe(true);
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      await expect.poll(where).toEqual(["4 / 4 on page 1", "Thumbnail 4 / 4 on page 1: Two"]);
      await page.keyboard.press("ArrowRight");
      await page.waitForURL(`${stack.appUrl}/b/${id}?page=3`);
      await expect.poll(where).toEqual(["1 / 2 on page 3", "Thumbnail 1 / 2 on page 3: Five"]);
      expect(await dialog.getByTestId("lightbox-image").getAttribute("alt")).toBe("Five");
      // The last page has no page after it; the previous one with images is page 1, at its end.
      await dialog.getByRole("button", { name: "Next image" }).click();
      expect(await dialog.getByRole("button", { name: "Next image" }).isDisabled()).toBe(true);
      // The button that just became disabled had the focus: the dialog keeps it, so the keys still work.
      const focusInDialog = () =>
        page.evaluate(() => !!document.activeElement?.closest('[data-testid="lightbox"]'));
      await expect.poll(focusInDialog).toBe(true);
      await page.keyboard.press("ArrowLeft");
      await page.keyboard.press("ArrowLeft");
      await page.waitForURL(`${stack.appUrl}/b/${id}`);
      await expect.poll(where).toEqual(["4 / 4 on page 1", "Thumbnail 4 / 4 on page 1: Two"]);
      expect(await checkA11y(page)).toEqual([]);
      // Closed, a reload shows the page without opening it again.
      await page.keyboard.press("Escape");
      await page.reload({ waitUntil: "load" });
      await page.getByTestId("cell").first().waitFor();
      expect(await dialog.count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it("keeps cells marked for a new take on one page of the grid when its owner moves to another", async () => {
    const { id, ownerToken } = await finishedPreview();
    const browser = await openBrowser();
    try {
      await browser.context.addCookies([{ name: `owner_${id}`, value: ownerToken, url: stack.appUrl }]);
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "load" });
      const summary = page.getByTestId("takes-summary");
      const newTake = (title: string) =>
        page.getByRole("button", { name: `New take · free: “${title}”, Preview (offline)` });
      await newTake("First of five").click();
      await expect.poll(() => summary.textContent()).toBe("New takes of 1 image · free");
      await page.getByTestId("batch-pager").first().getByRole("link", { name: "Next →" }).click();
      await page.waitForURL(`${stack.appUrl}/b/${id}?page=2`);
      await expect.poll(() => summary.textContent()).toBe("New takes of 1 image (1 on other pages) · free");
      await newTake("Third of five").click();
      expect(await newTake("Third of five").getAttribute("aria-pressed")).toBe("true");
      await expect.poll(() => summary.textContent()).toBe("New takes of 2 images (1 on other pages) · free");
      // The page hears nothing of the takes meanwhile: what it says of them stays until they end, and
      // free takes end at once.
      const events = /\/api\/batches\/[^/]+\/events/;
      await page.route(events, (route) => route.abort());
      await page.getByRole("button", { name: "Make new takes" }).click();
      await expect.poll(() => summary.count()).toBe(0);
      // The button went with the marks: focus moves to what was done, not to the page's body.
      const sent = page.getByTestId("takes-sent");
      expect(await sent.textContent()).toBe(
        "Asked for 2 new takes: each picture stays until its new one is ready.",
      );
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
        "takes-sent",
      );
      await page.unroute(events);
      const done = await settled(stack.appUrl, id);
      expect(done.cells.map((c) => c.take)).toEqual([1, 0, 1, 0, 0]);
      // Sent, the marks are gone on every page.
      await page.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "load" });
      await newTake("First of five").waitFor();
      expect(await newTake("First of five").getAttribute("aria-pressed")).toBe("false");
      expect(await summary.count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it("says beside Retry which failed cells the provider blocked for their content, on every page", async () => {
    // Page 1 (titles 1 and 2) has no failure: the note counts cells the page holds only as summaries.
    const titles = ["One", "Two", "Three [sim:invalid]", "Four", "Five [sim:moderation]"];
    const { id, ownerToken } = await submitted(titles, MODELS);
    const batch = await settled(stack.appUrl, id);
    expect(batch.counts.failed).toBe(4);
    expect(
      batch.cells.filter((c) => c.status === "failed").map((c) => blockedForContent(c.errorKind)),
    ).toEqual([false, false, true, true]);
    const browser = await openBrowser();
    try {
      await browser.context.addCookies([{ name: `owner_${id}`, value: ownerToken, url: stack.appUrl }]);
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "load" });
      // Retry stays offered (a provider may let a title through another time), with the likely outcome.
      const retry = page.getByRole("button", { name: "Retry 4 failed cells" });
      expect(await retry.isEnabled()).toBe(true);
      expect(await page.getByTestId("retry-note").textContent()).toBe(
        "2 of them were blocked by the provider's safety checks: the same title will likely be refused again.",
      );
      expect(await retry.getAttribute("aria-describedby")).toBe("retry-note");
      expect(await checkA11y(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("works without JavaScript, and sends no other page's cell records", async () => {
    const id = await newBatch();
    const batch = await settled(stack.appUrl, id);
    expect(batch.counts.succeeded).toBe(10);
    const html = await (await fetch(`${stack.appUrl}/b/${id}?page=2`)).text();
    const onPage = [cellAt(batch, 2, MODELS[0]!), cellAt(batch, 3, MODELS[1]!)];
    const elsewhere = [cellAt(batch, 0, MODELS[0]!), cellAt(batch, 4, MODELS[1]!)];
    for (const cell of onPage) expect(html).toContain(cell.imageUrl!.replaceAll("&", "&amp;"));
    for (const cell of elsewhere) {
      expect(html).not.toContain(cell.imageUrl!.split("?")[0]);
      expect(html).not.toContain(encodeURIComponent(cell.imageUrl!.split("?")[0]!));
    }

    const browser = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${id}?page=2`, { waitUntil: "load" });
      expect(await page.getByTestId("batch-summary").textContent()).toContain("10/10 done");
      expect(await page.locator('[data-testid="cell"][data-status="succeeded"] img').count()).toBe(4);
      await page.getByTestId("batch-pager").first().getByRole("link", { name: "← Previous" }).click();
      await page.waitForURL(`${stack.appUrl}/b/${id}`);
      expect(await page.getByRole("rowheader").allTextContents()).toEqual([
        "1. First of five",
        "2. Second of five",
      ]);
      expect(await page.locator('[aria-current="page"]').first().textContent()).toBe("1");
    } finally {
      await browser.close();
    }
  });

  it("sends its owner's form posts back to the page of the grid they came from, with a refusal shown there", async () => {
    // Still running when cancelled: no answer comes before.
    const release = sim.hold();
    const running = await submitted(TITLES, MODELS);
    const { id, ownerToken } = await finishedPreview();
    const browser = await openBrowser({ javaScriptEnabled: false });
    try {
      for (const [batchId, token] of [
        [id, ownerToken],
        [running.id, running.ownerToken],
      ]) {
        await browser.context.addCookies([{ name: `owner_${batchId}`, value: token!, url: stack.appUrl }]);
      }
      const page = await browser.context.newPage();
      // Cancel, from page 2 of a batch still running.
      await page.goto(`${stack.appUrl}/b/${running.id}?page=2`, { waitUntil: "load" });
      await page.getByRole("button", { name: "Cancel batch" }).click();
      await page.waitForURL(`${stack.appUrl}/b/${running.id}?page=2`);
      expect(await page.getByTestId("batch-status").textContent()).toBe("Status: cancelled");
      expect(await page.getByTestId("cancel-reason").textContent()).toBe("Cancelled: cancelled by the owner");
      release();

      // A new take, from page 2.
      const third = cellAt(await readAs(stack.appUrl, id, ownerToken), 2, "local-preview");
      await page.goto(`${stack.appUrl}/b/${id}?page=2`, { waitUntil: "load" });
      await page
        .getByRole("button", { name: `New take · free: “${third.prompt}”, Preview (offline)` })
        .click();
      await page.waitForURL(`${stack.appUrl}/b/${id}?page=2`);
      expect(cellAt(await settled(stack.appUrl, id), 2, "local-preview").take).toBe(1);
      await page.reload();
      expect(await page.getByRole("rowheader").first().textContent()).toBe("3. Third of five");
      // Switched back elsewhere (another tab, the CLI): this page's "Use other take" names a take
      // the cell no longer has. Refused, and said so on the same page, not as the API's JSON.
      const switched = await post(
        stack.appUrl,
        `/api/batches/${id}/alternate`,
        { cells: [{ promptIndex: 2, model: "local-preview" }] },
        bearer(ownerToken),
      );
      expect(switched.status).toBe(200);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/api/batches/${id}/alternate`)),
        page.getByRole("button", { name: `Use other take: “${third.prompt}”, Preview (offline)` }).click(),
      ]);
      expect(answer.status()).toBe(303);
      await page.waitForURL((url) => url.pathname === `/b/${id}` && url.searchParams.get("page") === "2");
      const notice = page.getByRole("alert").filter({ hasText: "Not done:" });
      expect(await notice.textContent()).toMatch(/^Not done: Only a finished image with .+ can switch to it/);
      expect(await page.getByRole("rowheader").first().textContent()).toBe("3. Third of five");
      // The notice is this server's own words: a link with others' shows nothing.
      const forged = new URL(page.url());
      forged.searchParams.set("notice", "Your batch was deleted: call +1 555 0100.");
      await page.goto(forged.href, { waitUntil: "load" });
      expect(await page.getByTestId("form-notice").count()).toBe(0);
    } finally {
      release();
      await browser.close();
    }
  });

  it("breaks a long title without spaces inside its column, on a phone and a desktop", async () => {
    const long = "Supercalifragilistic".repeat(10);
    const created = await finishedPreview([
      long,
      "https://example.com/a/very/long/path/without/any/spaces/at/all/in/it/anywhere",
    ]);
    for (const width of [390, 1280]) {
      const browser = await openBrowser({ width, height: 844 });
      try {
        const page = await browser.context.newPage();
        await page.goto(`${stack.appUrl}/b/${created.id}`, { waitUntil: "load" });
        await page.getByTestId("cell").first().waitFor();
        const layout = await page.evaluate(() => {
          const title = document.querySelector('[role="rowheader"]')!;
          const cell = document.querySelector('[role="cell"]')!;
          return {
            page: document.documentElement.scrollWidth,
            view: window.innerWidth,
            titleRight: title.getBoundingClientRect().right,
            cellLeft: cell.getBoundingClientRect().left,
            titleOverflow: title.scrollWidth - title.clientWidth,
          };
        });
        expect(layout.page, `no sideways scroll at ${width} px`).toBeLessThanOrEqual(layout.view);
        expect(layout.titleOverflow).toBeLessThanOrEqual(0);
        // Beside the pictures on a desktop, above them on a phone: never over them.
        if (width > 640) expect(layout.titleRight).toBeLessThanOrEqual(layout.cellLeft);
      } finally {
        await browser.close();
      }
    }
  });
});
