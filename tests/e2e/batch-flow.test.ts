/**
 * Issue 4's end-to-end path: a 3 × 2 batch submitted through the studio form in Chromium, watched filling
 * in live (no reload), opened as a share link by a fresh visitor (also with JavaScript off), and found
 * in the gallery. Runs on the built app and the local engine, with one model on the provider simulator.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { checkA11y } from "../helpers/a11y";
import { artifactsDir, closeLightboxExpectingFocus, openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

let sim: Simulator;
let stack: Stack;

beforeAll(async () => {
  // Latency keeps cells in flight long enough to see them arrive one by one on the open page.
  sim = await startSimulator({ port: 0, profile: { latencyMs: [1500, 3500], timeScale: 1 } });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

const titles = ["Why fan-out beats sequential", "Three retries with backoff", "Idempotent batch outputs"];
const columnLabels = ["Title", "Preview (offline)", "GPT Image 1.5"];

/**
 * What a phone-width batch page shows: how far the page and the grid scroll sideways, and per cell
 * (scrolled to, in reading order) whether its picture box and its model's name are in full view, and
 * whether it sits below the cell before it: stacked, so reading and keyboard order are the same.
 */
async function phoneLayout(page: Page) {
  const grid = page.getByRole("table", { name: "Thumbnails: prompts by models" });
  const cells = [];
  let above = -Infinity;
  for (const cell of await page.locator("[role=table] [role=cell]").all()) {
    await cell.scrollIntoViewIfNeeded();
    const seen = await cell.evaluate((el) => {
      const width = document.documentElement.clientWidth;
      const inView = (e: Element | null) => {
        if (!e) return false;
        const box = e.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= width;
      };
      const label = el.querySelector('[data-testid="cell-model"]');
      const picture = el.querySelector('[data-testid="cell"] > div');
      const header =
        document.querySelectorAll('[role="columnheader"]')[
          Array.from(el.parentElement?.children ?? []).indexOf(el)
        ];
      return {
        top: el.getBoundingClientRect().top + window.scrollY,
        label: inView(label) && label?.textContent === header?.textContent,
        picture: inView(picture),
      };
    });
    cells.push({ label: seen.label, picture: seen.picture, below: seen.top > above });
    above = seen.top;
  }
  return {
    page: await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    ),
    grid: await grid.evaluate((el) => el.scrollWidth - el.clientWidth),
    cells,
  };
}

function phoneLayoutOk(n: number) {
  return {
    page: 0,
    grid: 0,
    cells: Array.from({ length: n }, () => ({ label: true, picture: true, below: true })),
  };
}

describe("a batch from the form to the share page and the gallery", () => {
  let shareUrl = "";

  it("submits 3 × 2 through the form and shows all six images live without a reload", async () => {
    // The provider's answers wait until the page has shown a cell still pending, however slow the machine.
    const release = sim.hold();
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(stack.appUrl, { waitUntil: "networkidle" });
      const first = page.getByLabel("Title 1", { exact: true });
      await first.fill(titles[0] as string);
      await first.press("Enter");
      await page.getByLabel("Title 2", { exact: true }).fill(titles[1] as string);
      await page.getByLabel("Title 2", { exact: true }).press("Enter");
      await page.getByLabel("Title 3", { exact: true }).fill(titles[2] as string);
      await page.getByRole("checkbox", { name: /GPT Image 1\.5/ }).check();
      await expect.poll(() => page.getByTestId("estimate-images").textContent()).toBe("6 images");
      await page.getByRole("button", { name: "Generate thumbnails" }).click();
      await page.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
      shareUrl = page.url();
      // A marker on window survives only if the page is never reloaded.
      await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
      const cells = page.getByTestId("cell");
      await expect.poll(() => cells.count()).toBe(6);
      // The look by the catalog's labels, as the gallery says it (it read "photorealistic · bottom-bar · …").
      expect(await page.locator("header p").first().textContent()).toBe(
        "Photorealistic · Bottom bar · Inter · Blog / Open Graph",
      );
      // Live updates: at least one cell is seen still pending on the open page before all succeed.
      expect(
        await page.locator('[data-testid="cell"]:not([data-status="succeeded"])').count(),
      ).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(artifactsDir, "batch-running-desktop.png"), fullPage: true });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: path.join(artifactsDir, "batch-running-phone.png"), fullPage: true });
      // On the narrowest phones each title is a card of its models' cells, stacked: nothing scrolls
      // sideways (the two columns used to), also while cells are still pending.
      await page.setViewportSize({ width: 320, height: 700 });
      expect(await phoneLayout(page)).toEqual(phoneLayoutOk(6));
      await page.setViewportSize({ width: 1280, height: 900 });
      release();
      await expect
        .poll(() => page.locator('[data-testid="cell"][data-status="succeeded"] img').count(), {
          timeout: 90_000,
        })
        .toBe(6);
      await expect
        .poll(() => page.getByTestId("batch-status").textContent(), { timeout: 30_000 })
        .toContain("succeeded");
      expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(
        true,
      );
      // Every image really loaded (decoded by the browser), not just an <img> tag: lazy ones once scrolled to.
      for (const img of await page.locator('[data-testid="cell"] img').all())
        await img.scrollIntoViewIfNeeded();
      await expect
        .poll(() =>
          page.$$eval('[data-testid="cell"] img', (imgs) =>
            imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
          ),
        )
        .toEqual([true, true, true, true, true, true]);
      await page.screenshot({ path: path.join(artifactsDir, "batch-finished-desktop.png"), fullPage: true });
      expect(await checkA11y(page)).toEqual([]);

      // Lightbox: full size with the cell's details, keyboard navigation, Esc returns focus to the grid.
      const opener = page.locator('[data-testid="cell"] a').first();
      // Named by the model's label, as its column is (it said "Open local-preview image for …").
      expect(await opener.getAttribute("aria-label")).toBe(`Open Preview (offline) image for “${titles[0]}”`);
      await opener.click();
      const box = page.getByTestId("lightbox");
      await box.waitFor();
      await expect.poll(() => page.getByTestId("lightbox-position").textContent()).toMatch(/^1 \/ 6/);
      const meta = await page.getByTestId("lightbox-meta").textContent();
      expect(meta).toContain(titles[0]);
      expect(meta).toMatch(/Attempts\s*1/);
      // The model by the name its column has (it said only "local-preview"), with the id the CLI takes.
      expect(meta).toContain("Preview (offline) · local-preview");
      await page.screenshot({ path: path.join(artifactsDir, "lightbox-desktop.png") });
      await page.keyboard.press("ArrowRight");
      await expect.poll(() => page.getByTestId("lightbox-position").textContent()).toMatch(/^2 \/ 6/);
      // Esc puts the keyboard on the cell of the image shown last, not back on the first one opened.
      await closeLightboxExpectingFocus(page, page.locator('[data-testid="cell"] a').nth(1));
    } finally {
      release();
      await browser.close();
    }
  });

  it("opens the share link in a fresh browser, read-only, and without JavaScript", async () => {
    for (const javaScriptEnabled of [true, false]) {
      // A tall window keeps every (lazy-loaded) image in view, with or without scripts.
      const browser = await openBrowser({ javaScriptEnabled, height: 3000 });
      try {
        const page = await browser.context.newPage();
        await page.goto(shareUrl, { waitUntil: "load" });
        // Visible, not just present: a streamed page keeps its content hidden until scripts reveal it.
        await expect
          .poll(() => page.locator('[data-testid="cell"][data-status="succeeded"]:visible').count())
          .toBe(6);
        for (const t of titles)
          expect(await page.locator("[role=rowheader]:visible", { hasText: t }).count()).toBe(1);
        // Columns carry the catalog's labels, not raw model ids.
        expect(await page.getByRole("columnheader").allTextContents()).toEqual(columnLabels);
        // Visitors can't cancel or retry: only the creator's browser holds the owner cookie.
        expect(await page.getByRole("button", { name: /Cancel batch|Retry|Resume/ }).count()).toBe(0);
        await expect
          .poll(() =>
            page.$$eval('[data-testid="cell"] img', (imgs) =>
              imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0),
            ),
          )
          .toBe(true);
        if (javaScriptEnabled) expect(await checkA11y(page)).toEqual([]);
      } finally {
        await browser.close();
      }
    }
  });

  it("reads well at phone width", async () => {
    const phone = await openBrowser({ width: 390, height: 844 });
    try {
      const page = await phone.context.newPage();
      await page.goto(shareUrl, { waitUntil: "networkidle" });
      await expect
        .poll(() => page.locator('[data-testid="cell"][data-status="succeeded"] img').count())
        .toBe(6);
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      ).toBeLessThanOrEqual(0);
      // Titles sit above their cells on a phone, so the grid never scrolls sideways.
      const grid = page.getByRole("table", { name: "Thumbnails: prompts by models" });
      expect(await grid.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(artifactsDir, "batch-finished-phone.png"), fullPage: true });
      await page.locator('[data-testid="cell"] a').first().click();
      await page.getByTestId("lightbox").waitFor();
      await page.screenshot({ path: path.join(artifactsDir, "lightbox-phone.png") });
    } finally {
      await phone.close();
    }
  });

  it("reads every cell at 320 px without sideways scrolling, with or without JavaScript", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const phone = await openBrowser({ javaScriptEnabled, width: 320, height: 700 });
      try {
        const page = await phone.context.newPage();
        await page.goto(shareUrl, { waitUntil: "load" });
        await expect
          .poll(() => page.locator('[data-testid="cell"][data-status="succeeded"]:visible').count())
          .toBe(6);
        // Every picture really loaded once scrolled to (lazy ones too).
        for (const img of await page.locator('[data-testid="cell"] img').all())
          await img.scrollIntoViewIfNeeded();
        await expect
          .poll(() =>
            page.$$eval(
              '[data-testid="cell"] img',
              (imgs) =>
                imgs.filter(
                  (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
                ).length,
            ),
          )
          .toBe(6);
        // The cost table too, opened: its five columns were wider than the screen.
        await page.getByText(/^Cost:/).click();
        expect(await phoneLayout(page)).toEqual(phoneLayoutOk(6));
        // The table's rows, headers and cells are the desktop's: only the boxes change.
        const grid = page.getByRole("table", { name: "Thumbnails: prompts by models" });
        expect(await grid.getByRole("columnheader").allTextContents()).toEqual(columnLabels);
        expect(await grid.getByRole("row").count()).toBe(1 + titles.length);
        const js = javaScriptEnabled ? "" : "-no-js";
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(artifactsDir, `batch-finished-320${js}.png`) });
        await page.getByRole("row", { name: new RegExp(titles[1] as string) }).scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(artifactsDir, `batch-row-320${js}.png`) });
        if (javaScriptEnabled) expect(await checkA11y(page)).toEqual([]);
      } finally {
        await phone.close();
      }
    }
  });

  it("finds the six images in the gallery", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      const id = shareUrl.split("/").pop() as string;
      await page.goto(`${stack.appUrl}/gallery?batch=${id}`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByTestId("gallery-image").count()).toBe(6);
      for (const t of titles) expect(await page.getByText(t).count()).toBeGreaterThan(0);
      // The gallery and the studio form fit the narrowest phones too.
      await page.setViewportSize({ width: 320, height: 700 });
      for (const [name, at] of [
        ["gallery", "/gallery"],
        ["studio-form", "/"],
      ] as const) {
        await page.goto(`${stack.appUrl}${at}`, { waitUntil: "networkidle" });
        expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(
          320,
        );
        await page.screenshot({ path: path.join(artifactsDir, `${name}-320.png`), fullPage: true });
      }
    } finally {
      await browser.close();
    }
  });
});
