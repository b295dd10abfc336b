/**
 * The gallery selection in Chromium on the built app: with JavaScript it survives filter changes (the bar
 * says how many are selected and how many the filters hide, ZIP and delete take all of them); with
 * JavaScript off the same cards post real checkboxes, and delete goes through a confirm step and a 303.
 */
import { unzipSync } from "fflate";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkA11y } from "../helpers/a11y";
import { openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

interface CellJson {
  id: string;
  prompt: string;
}

async function finishedBatch(appUrl: string, body: Record<string, unknown>): Promise<CellJson[]> {
  const res = await fetch(`${appUrl}/api/batches`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ models: ["local-preview"], font: "inter", canvas: "youtube", ...body }),
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const batch = (await (await fetch(`${appUrl}/api/batches/${id}`)).json()) as {
      status: string;
      cells: CellJson[];
    };
    if (batch.status === "succeeded") return batch.cells;
    if (batch.status !== "queued" && batch.status !== "running")
      throw new Error(`batch ${id}: ${batch.status}`);
    if (Date.now() > deadline) throw new Error(`batch ${id} still ${batch.status} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const ids = (page: Page) =>
  page.$$eval('[data-testid="gallery-image"]', (els) => els.map((e) => e.getAttribute("data-id") ?? ""));
const box = (page: Page, id: string) => page.locator(`[data-id="${id}"] input[type=checkbox]`);

describe("gallery selection", () => {
  let stack: Stack;
  let anime: CellJson[] = [];
  let water: CellJson[] = [];
  const apiIds = async () =>
    ((await (await fetch(`${stack.appUrl}/api/images`)).json()) as { images: { id: string }[] }).images.map(
      (i) => i.id,
    );

  beforeAll(async () => {
    stack = await startStack();
    anime = await finishedBatch(stack.appUrl, {
      prompts: ["Anime one", "Anime two", "Anime three"],
      style: "anime",
      template: "bottom-bar",
    });
    water = await finishedBatch(stack.appUrl, {
      prompts: ["Watercolor one", "Watercolor two", "Watercolor three"],
      style: "watercolor",
      template: "center-box",
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("keeps the selection across a filter change, says how many are hidden, and zips and deletes all", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
      await page.getByLabel("Select all shown").waitFor();
      // One enhanced UI only: the no-JS form is gone and the checkboxes no longer belong to it.
      expect(await page.getByTestId("selection-form").count()).toBe(0);
      expect(await page.locator('input[form="gallery-selection"]').count()).toBe(0);

      const [w0, a0, a1] = [water[0], anime[0], anime[1]].map((c) => (c as CellJson).id) as [
        string,
        string,
        string,
      ];
      await box(page, w0).check();
      await box(page, a0).check();
      const count = page.getByTestId("selection-count");
      await expect.poll(() => count.textContent()).toBe("2 images selected");

      await page.getByLabel("Style").selectOption("anime");
      await expect.poll(() => page.url()).toContain("style=anime");
      await expect.poll(() => ids(page)).toEqual(expect.arrayContaining(anime.map((c) => c.id)));
      expect(await ids(page)).toHaveLength(3);
      await expect.poll(() => count.textContent()).toBe("2 images selected · 1 not shown with these filters");
      expect(await box(page, a0).isChecked()).toBe(true);
      await box(page, a1).check();
      await expect.poll(() => count.textContent()).toBe("3 images selected · 1 not shown with these filters");

      // The ZIP holds all three, the hidden one included.
      const href = (await page.getByRole("link", { name: "Download ZIP" }).getAttribute("href")) as string;
      const zip = await page.request.get(`${stack.appUrl}${href}`);
      expect(zip.status()).toBe(200);
      const entries = unzipSync(new Uint8Array(await zip.body()));
      const manifest = JSON.parse(Buffer.from(entries["manifest.json"] as Uint8Array).toString()) as {
        files: { cellId: string }[];
      };
      expect(Object.keys(entries).filter((name) => name !== "manifest.json")).toHaveLength(3);
      expect(manifest.files.map((f) => f.cellId).sort()).toEqual([w0, a0, a1].sort());

      // By keyboard: a selected card's checkbox is followed by a way to the bar (which comes after
      // every card loaded), shown while focused; Escape in the dialog comes back to Delete….
      const focused = () =>
        page.evaluate(() => {
          const el = document.activeElement;
          return el?.getAttribute("aria-label") ?? el?.textContent?.trim();
        });
      await box(page, a1).focus();
      await page.keyboard.press("Tab");
      expect(await focused()).toBe("Go to selection (3)");
      await page.keyboard.press("Enter");
      expect(await focused()).toBe("Selected images");
      for (const name of ["Clear selection", "Download ZIP", "Delete…"]) {
        await page.keyboard.press("Tab");
        expect(await focused()).toBe(name);
      }
      await page.keyboard.press("Enter");
      const dialog = page.getByTestId("delete-dialog");
      await expect.poll(() => dialog.getByRole("heading").textContent()).toBe("Delete 3 images?");
      await page.keyboard.press("Escape");
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(focused).toBe("Delete…");
      await page.keyboard.press("Enter");
      await expect.poll(() => dialog.getByRole("heading").textContent()).toBe("Delete 3 images?");
      expect(await dialog.textContent()).toContain("1 of them is not shown with the current filters.");
      await dialog.getByRole("button", { name: "Delete 3 images" }).click();
      await expect.poll(() => page.getByTestId("gallery-notice").textContent()).toBe("Deleted 3 images.");
      expect(await ids(page)).toEqual([anime[2]?.id]);
      expect(await page.getByTestId("selection-bar").count()).toBe(0);
      // Delete… went with the selection: the keyboard is on what the delete did.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")))
        .toBe("gallery-notice");
      const left = await apiIds();
      for (const id of [w0, a0, a1]) expect(left).not.toContain(id);
      expect(left).toHaveLength(3);

      // Clearing is one click, hidden images included.
      await box(page, anime[2]?.id as string).check();
      await page.getByLabel("Style").selectOption("watercolor");
      await expect.poll(() => count.textContent()).toBe("1 image selected · 1 not shown with these filters");
      await page.getByRole("button", { name: "Clear selection" }).click();
      expect(await page.getByTestId("selection-bar").count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it("selects two and deletes them with JavaScript off, through a confirm step and a redirect", async () => {
    const browser = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery?style=watercolor`, { waitUntil: "load" });
      const shown = await ids(page);
      expect(shown).toHaveLength(2);
      const [x, y] = shown as [string, string];

      // Nothing ticked: the page says so instead of deleting anything.
      await page.getByRole("button", { name: "Delete selected…" }).click();
      await page.waitForURL(/confirm=delete/);
      expect(await page.getByTestId("gallery-notice").textContent()).toContain("Nothing to delete");
      expect(await page.getByTestId("confirm-delete").count()).toBe(0);

      // ZIP of the ticked ones is a plain form post that downloads.
      await box(page, x).check();
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download selected as ZIP" }).click(),
      ]);
      const zipped = unzipSync(new Uint8Array(await readAll(await download.createReadStream())));
      expect(Object.keys(zipped).filter((name) => name !== "manifest.json")).toHaveLength(1);

      await box(page, y).check();
      await page.getByRole("button", { name: "Delete selected…" }).click();
      await page.waitForURL(/confirm=delete/);
      const confirm = page.getByTestId("confirm-delete");
      expect(await confirm.getByRole("heading").textContent()).toBe("Delete 2 selected images?");
      expect(await confirm.textContent()).toContain("Watercolor");
      // The selection stays ticked on the page behind the question; no token field on an embedded install.
      expect(await box(page, x).isChecked()).toBe(true);
      expect(await confirm.getByLabel("Admin token").count()).toBe(0);
      await confirm.getByRole("button", { name: "Delete 2 images" }).click();
      await page.waitForURL(/deleted=2/);
      expect(new URL(page.url()).searchParams.get("style")).toBe("watercolor");
      expect(await page.getByTestId("gallery-notice").textContent()).toBe("Deleted 2 images.");
      expect(await ids(page)).toEqual([]);
      const left = await apiIds();
      expect(left).not.toContain(x);
      expect(left).not.toContain(y);
      expect(left).toHaveLength(1);
    } finally {
      await browser.close();
    }
  });

  it("passes axe before hydration, and a box ticked before hydration is part of the selection after", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      // Hold the page's scripts back: the server-rendered form is what a slow connection shows first.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route("**/_next/static/chunks/**/*.js", async (route) => {
        await gate;
        await route.continue();
      });
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "commit" });
      await page.getByTestId("selection-form").waitFor();
      const [first] = (await ids(page)) as [string];
      await box(page, first).check();
      await page.getByRole("button", { name: "Delete selected…" }).waitFor();
      expect(await checkA11y(page)).toEqual([]);
      release();
      await page.getByLabel("Select all shown").waitFor();
      await expect.poll(() => page.getByTestId("selection-count").textContent()).toBe("1 image selected");
      expect(await box(page, first).isChecked()).toBe(true);
      expect(await page.getByTestId("selection-form").count()).toBe(0);

      // The confirm step too (scripts blocked for good this time).
      const stuck = await browser.context.newPage();
      await stuck.route("**/_next/static/chunks/**/*.js", (route) => route.abort());
      await stuck.goto(`${stack.appUrl}/gallery?ids=${first}&confirm=delete`, { waitUntil: "load" });
      await stuck.getByTestId("confirm-delete").waitFor();
      expect(await stuck.getByTestId("selection-form").count()).toBe(0);
      expect(await checkA11y(stuck)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("hands a selection from the URL to the enhanced page: ?confirm=delete opens the dialog", async () => {
    const [last] = await apiIds();
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery?ids=${last}&confirm=delete`, { waitUntil: "networkidle" });
      const dialog = page.getByTestId("delete-dialog");
      await expect.poll(() => dialog.getByRole("heading").textContent()).toBe("Delete 1 image?");
      expect(await page.getByTestId("confirm-delete").count()).toBe(0);
      await expect.poll(() => page.url()).toBe(`${stack.appUrl}/gallery`);
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await expect.poll(() => page.getByTestId("selection-count").textContent()).toBe("1 image selected");
    } finally {
      await browser.close();
    }
  });
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
