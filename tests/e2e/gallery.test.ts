/**
 * The gallery in Chromium on the built app and local engine: two local-preview batches with different
 * styles and templates, filters, infinite scroll, the lightbox, select-many delete (rows and blob files),
 * accessibility, screenshots; then a production-mode stack where delete needs the ADMIN_TOKEN (bearer,
 * dialog, and the confirm step without JavaScript).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dateText } from "@/lib/gallery/dates";
import { checkA11y } from "../helpers/a11y";
import { artifactsDir, closeLightboxExpectingFocus, openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

interface CellJson {
  id: string;
  imageUrl: string | null;
  error: string | null;
}

async function makeBatch(appUrl: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${appUrl}/api/batches`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ models: ["local-preview"], font: "inter", canvas: "youtube", ...body }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function finishedCells(appUrl: string, id: string): Promise<CellJson[]> {
  // A plain loop: expect.poll only works inside a test, and this runs in beforeAll.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const body = (await (await fetch(`${appUrl}/api/batches/${id}`)).json()) as {
      status: string;
      cells: CellJson[];
    };
    if (body.status === "succeeded") return body.cells;
    if (["failed", "partial", "cancelled"].includes(body.status))
      throw new Error(`batch ${id} ended ${body.status}: ${JSON.stringify(body.cells.map((c) => c.error))}`);
    if (Date.now() > deadline) throw new Error(`batch ${id} is still ${body.status} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every file under DATA_DIR/blob, as keys ("final/…", "raw/…"). */
function blobFiles(dataDir: string): string[] {
  const root = path.join(dataDir, "blob");
  return (
    (readdirSync(root, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((d) => d.isFile())
      .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
      // The local store keeps a sidecar per object under .meta/ and temp files under .tmp/.
      .filter((key) => !key.startsWith(".tmp/"))
  );
}

const keyOf = (url: string) =>
  decodeURIComponent(new URL(url, "http://x").pathname.replace(/^\/api\/blob\//, ""));
const cards = (page: Page) => page.getByTestId("gallery-image");
const ids = (page: Page) =>
  page.$$eval('[data-testid="gallery-image"]', (els) => els.map((e) => e.getAttribute("data-id")));

describe("gallery (embedded mode)", () => {
  let stack: Stack;
  let anime: CellJson[] = [];
  let water: CellJson[] = [];
  let waterBatch = "";

  beforeAll(async () => {
    stack = await startStack();
    const a = await makeBatch(stack.appUrl, {
      prompts: ["Anime one", "Anime two", "Anime three"],
      style: "anime",
      template: "bottom-bar",
    });
    const w = await makeBatch(stack.appUrl, {
      prompts: ["Watercolor one", "Watercolor two", "Watercolor three"],
      style: "watercolor",
      template: "center-box",
    });
    anime = await finishedCells(stack.appUrl, a);
    water = await finishedCells(stack.appUrl, w);
    waterBatch = w;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("shows both batches, scrolls in older pages without duplicates, and passes axe", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      // The server renders the first page on its own (4 of 6)...
      const html = await (await fetch(`${stack.appUrl}/gallery?limit=4`)).text();
      expect(html.match(/data-testid="gallery-image"/g)).toHaveLength(4);
      // ...and says how many the filters match in all (the first page's count).
      expect(html).toContain("4 of 6 images shown · more below");
      // ...and the browser pulls in older pages through the API's keyset cursor as the end comes into view.
      const cursorRequests: string[] = [];
      page.on("request", (r) => {
        if (r.url().includes("/api/images?") && r.url().includes("cursor=")) cursorRequests.push(r.url());
      });
      await page.goto(`${stack.appUrl}/gallery?limit=4`, { waitUntil: "networkidle" });
      await page.getByTestId("gallery-image").last().scrollIntoViewIfNeeded();
      await expect.poll(() => cards(page).count()).toBe(6);
      expect(await page.getByTestId("gallery-count").textContent()).toBe("6 images shown");
      const shown = await ids(page);
      expect(new Set(shown).size).toBe(6);
      expect(new Set(shown)).toEqual(new Set([...anime, ...water].map((c) => c.id)));
      expect(await page.getByTestId("gallery-older").count()).toBe(0);
      expect(cursorRequests.length).toBeGreaterThan(0);
      // Every image decoded by the browser (served through next/image from the blob route).
      await expect
        .poll(() =>
          page.$$eval('[data-testid="gallery-image"] img', (imgs) =>
            imgs.every((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
          ),
        )
        .toBe(true);
      expect(await checkA11y(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it("shows an API error with a retry that recovers", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.route("**/api/images?*", (route) =>
        route.fulfill({
          status: 500,
          contentType: "application/json",
          body: JSON.stringify({ error: "The database is unavailable.", issues: [] }),
        }),
      );
      await page.goto(`${stack.appUrl}/gallery?limit=4`, { waitUntil: "networkidle" });
      const error = page.getByTestId("gallery-error");
      await expect.poll(() => error.textContent()).toContain("The database is unavailable.");
      expect(await cards(page).count()).toBe(4);
      await page.unroute("**/api/images?*");
      await error.getByRole("button", { name: "Retry" }).click();
      await expect.poll(() => cards(page).count()).toBe(6);
      expect(await error.count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it("filters by style in place, and as a plain GET form without JavaScript", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
      await page.getByLabel("Style").selectOption("anime");
      await expect.poll(() => page.url()).toContain("style=anime");
      await expect.poll(() => ids(page)).toEqual(expect.arrayContaining(anime.map((c) => c.id)));
      expect(await cards(page).count()).toBe(3);
      await page.getByLabel("Template").selectOption("bottom-bar");
      await page.getByLabel("Style").selectOption("watercolor");
      await expect.poll(() => page.getByTestId("gallery-empty").textContent()).toContain("No images match");
      await page.getByRole("link", { name: "Clear filters" }).click();
      await expect.poll(() => cards(page).count()).toBe(6);
      expect(page.url()).toMatch(/\/gallery$/);
    } finally {
      await browser.close();
    }
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${stack.appUrl}/gallery?limit=2`, { waitUntil: "load" });
      await page.getByLabel("Style").selectOption("watercolor");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/style=watercolor/);
      const waterIds = new Set(water.map((c) => c.id));
      const firstPage = await ids(page);
      expect(firstPage).toHaveLength(2);
      expect(await page.getByTestId("gallery-count").textContent()).toBe("2 of 3 images shown · more below");
      await page.getByRole("link", { name: "Older images" }).click();
      await page.waitForURL(/cursor=/);
      const secondPage = await ids(page);
      expect(secondPage).toHaveLength(1);
      // Two pages, no overlap, exactly the watercolor batch.
      expect(new Set([...firstPage, ...secondPage])).toEqual(waterIds);
    } finally {
      await noJs.close();
    }
  });

  it("filters by batch: each batch is offered by its first title, the minute and its size", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
      // Named "Batch" and the option chosen, as a select inside its label is.
      const batch = page.getByRole("combobox", { name: /^Batch/ });
      const minute = /\(\d{4}-\d{2}-\d{2} \d{2}:\d{2}, 3 × 1\)$/;
      const labels = async () =>
        (await batch.locator("option").allTextContents()).map((l) =>
          l.replace(/[\u2068\u2069]/g, "").replace(minute, "(…)"),
        );
      expect(await labels()).toEqual(["All", "Watercolor one (…)", "Anime one (…)"]);
      // Any batch can be found by text in its titles (the list offers the newest only), in place.
      const find = page.getByLabel("Find a batch by text in its titles");
      const entries = await page.evaluate(() => history.length);
      await find.pressSequentially("three", { delay: 30 });
      await expect
        .poll(() => page.getByTestId("batch-filter-found").textContent())
        .toBe("2 batches with a title containing “three”.");
      await find.fill("color thr");
      await expect.poll(labels).toEqual(["All", "Watercolor one (…)"]);
      // Typing there changes what is offered, not the images shown; the address says the search at
      // once (as the form without JavaScript sends it), replaced rather than one history entry a word.
      await expect.poll(() => page.url()).toBe(`${stack.appUrl}/gallery?batchq=color+thr`);
      expect(await page.evaluate(() => history.length)).toBe(entries);
      // So a reload lists the same batches, the search in its box.
      await page.reload({ waitUntil: "networkidle" });
      expect(await labels()).toEqual(["All", "Watercolor one (…)"]);
      expect(await find.inputValue()).toBe("color thr");
      await batch.selectOption(waterBatch);
      await expect.poll(() => page.url()).toContain(`batch=${waterBatch}`);
      // The address then keeps the search too, so a reload lists the same batches.
      expect(new URL(page.url()).searchParams.get("batchq")).toBe("color thr");
      await expect.poll(async () => new Set(await ids(page))).toEqual(new Set(water.map((c) => c.id)));
      // The batch chosen stays offered, by its label, when a search no longer lists it.
      await find.fill("Anime");
      await expect.poll(labels).toEqual(["All", "Watercolor one (…)", "Anime one (…)"]);
      await find.fill("no such title");
      await expect
        .poll(() => page.getByTestId("batch-filter-found").textContent())
        .toBe("No batch with images has a title containing “no such title”.");
      expect(await labels()).toEqual(["All", "Watercolor one (…)"]);
      // Clear empties the whole form, the batch search too, as its link does without JavaScript: the
      // newest batches are offered again, and the keyboard goes on from the form's first field.
      await page.getByTestId("gallery-filters").getByRole("link", { name: "Clear", exact: true }).click();
      await expect.poll(() => page.url()).toBe(`${stack.appUrl}/gallery`);
      expect(await find.inputValue()).toBe("");
      await expect.poll(labels).toEqual(["All", "Watercolor one (…)", "Anime one (…)"]);
      expect(await page.getByTestId("batch-filter-found").textContent()).toBe("");
      expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("q");
      await expect.poll(async () => (await ids(page)).length).toBe(anime.length + water.length);
    } finally {
      await browser.close();
    }
    // The API pages through batches with images, as the filter does; and without JavaScript the search is
    // sent with the filter form.
    const api = await fetch(`${stack.appUrl}/api/batches?withImages=1&limit=1&q=one`);
    const first = (await api.json()) as { batches: { id: string }[]; nextCursor: string };
    expect(first.batches.map((b) => b.id)).toEqual([waterBatch]);
    const more = await fetch(
      `${stack.appUrl}/api/batches?withImages=1&limit=1&q=one&cursor=${first.nextCursor}`,
    );
    expect(((await more.json()) as { batches: { id: string }[] }).batches).toHaveLength(1);
    const bad = await fetch(`${stack.appUrl}/api/batches?withImages=yes`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      "withImages",
    ]);
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${stack.appUrl}/gallery?limit=2`, { waitUntil: "load" });
      await page.getByLabel("Find a batch by text in its titles").fill("anime");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/batchq=anime/);
      const offered = async () =>
        (
          await page
            .getByRole("combobox", { name: /^Batch/ })
            .locator("option")
            .allTextContents()
        ).map((l) => l.replace(/[\u2068\u2069]/g, "").replace(/ \(.*\)$/, ""));
      expect(await offered()).toEqual(["All", "Anime one"]);
      // Kept by every link and form that keeps the filters: older images, and the selection's confirm
      // step and its Cancel (else the batch list would fall back to the newest batches there).
      await page.getByRole("link", { name: "Older images" }).click();
      await page.waitForURL(/cursor=/);
      expect(new URL(page.url()).searchParams.get("batchq")).toBe("anime");
      expect(await offered()).toEqual(["All", "Anime one"]);
      await page.locator('[data-testid="gallery-image"] input[type=checkbox]').first().check();
      await page.getByRole("button", { name: "Delete selected…" }).click();
      await page.waitForURL(/confirm=delete/);
      expect(new URL(page.url()).searchParams.get("batchq")).toBe("anime");
      expect(await offered()).toEqual(["All", "Anime one"]);
      await page.getByTestId("confirm-delete").getByRole("link", { name: "Cancel" }).click();
      await page.waitForURL((url) => !url.searchParams.has("confirm"));
      expect(new URL(page.url()).searchParams.get("batchq")).toBe("anime");
      expect(await offered()).toEqual(["All", "Anime one"]);
      // Clear drops the search with the filters, keeping the page size only (as with JavaScript).
      await page.getByRole("combobox", { name: /^Batch/ }).selectOption({ index: 1 });
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/batch=/);
      await page.getByTestId("gallery-filters").getByRole("link", { name: "Clear", exact: true }).click();
      await page.waitForURL((url) => !url.searchParams.has("batch"));
      expect(page.url()).toBe(`${stack.appUrl}/gallery?limit=2`);
      expect(await page.getByLabel("Find a batch by text in its titles").inputValue()).toBe("");
      expect(await offered()).toEqual(["All", "Watercolor one", "Anime one"]);
    } finally {
      await noJs.close();
    }
  });

  it("says when From is after To, in the API, in place and without JavaScript, and swaps them", async () => {
    const api = await fetch(`${stack.appUrl}/api/images?from=2026-12-08&to=2026-12-01`);
    expect(api.status).toBe(400);
    expect(((await api.json()) as { issues: { path: string; message: string }[] }).issues).toEqual([
      {
        path: "from",
        message: "from (2026-12-08) is after to (2026-12-01), so no image can match; swap them or clear one",
      },
    ]);
    // The images are all from today: a range around today, written the wrong way round.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const said = `From is ${dateText(day(1))} and To is ${dateText(day(-1))}, so no image can match.`;
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
      await page.getByLabel("From", { exact: true }).fill(day(1));
      await page.getByLabel("To", { exact: true }).fill(day(-1));
      const wrong = page.getByTestId("gallery-date-order");
      await expect.poll(() => wrong.textContent()).toContain("The From date is after the To date");
      expect(await wrong.textContent()).toContain(said);
      expect(await wrong.getAttribute("role")).toBe("alert");
      expect(await page.getByTestId("gallery-empty").count()).toBe(0);
      expect(await cards(page).count()).toBe(0);
      expect(await page.getByTestId("gallery-count").textContent()).toBe("0 images shown");
      // Each date field is marked and described by the message.
      for (const name of ["From", "To"]) {
        const field = page.getByLabel(name, { exact: true });
        expect(await field.getAttribute("aria-invalid")).toBe("true");
        expect(await field.getAttribute("aria-describedby")).toBe("gallery-date-order");
      }
      expect(await checkA11y(page)).toEqual([]);
      await wrong.getByRole("link", { name: "Swap the dates" }).click();
      await expect.poll(() => cards(page).count()).toBe(6);
      expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe(day(-1));
      expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(day(1));
      expect(await page.getByLabel("From", { exact: true }).getAttribute("aria-invalid")).toBeNull();
      // Any other refused query says what the server said about the field, as the page rendered
      // without JavaScript does, rather than a generic "Invalid gallery query."
      await page.getByLabel("From", { exact: true }).fill("1969-12-31");
      const refused = page.getByTestId("gallery-error");
      await expect
        .poll(() => refused.textContent())
        .toContain("from must be a real date from 1970 to 9999: YYYY-MM-DD");
      expect(await refused.textContent()).not.toContain("Invalid gallery query.");
      // Asking the same again cannot help: no Retry, but the field named can be cleared, in place.
      expect(await refused.getByRole("button", { name: "Retry" }).count()).toBe(0);
      expect(await page.getByTestId("gallery-count").textContent()).toBe("0 images shown");
      await refused.getByRole("link", { name: "Clear the From date" }).click();
      await expect.poll(() => cards(page).count()).toBe(6);
      expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe("");
      expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(day(1));
      expect(new URL(page.url()).search).toBe(`?to=${day(1)}`);
    } finally {
      await browser.close();
    }
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${stack.appUrl}/gallery?from=${day(1)}&to=${day(-1)}`, { waitUntil: "load" });
      const wrong = page.getByTestId("gallery-date-order");
      expect(await wrong.textContent()).toContain(said);
      await wrong.getByRole("link", { name: "Swap the dates" }).click();
      await page.waitForURL(new RegExp(`from=${day(-1)}&to=${day(1)}`));
      expect(await cards(page).count()).toBe(6);
      // A refused field, server-rendered: named, with a link to the same filters without it.
      await page.goto(`${stack.appUrl}/gallery?style=anime&from=1969-12-31`, { waitUntil: "load" });
      const refused = page.getByTestId("gallery-error");
      expect(await refused.textContent()).toContain("from must be a real date from 1970 to 9999");
      expect(await refused.getByRole("button", { name: "Retry" }).count()).toBe(0);
      await refused.getByRole("link", { name: "Clear the From date" }).click();
      await page.waitForURL(`${stack.appUrl}/gallery?style=anime`);
      expect(await cards(page).count()).toBe(3);
    } finally {
      await noJs.close();
    }
  });

  it("finds images by text in their title: as you type, in the API, and without JavaScript", async () => {
    const api = await fetch(`${stack.appUrl}/api/images?q=${encodeURIComponent("ANIME T")}`);
    const found = ((await api.json()) as { images: { prompt: string }[] }).images.map((i) => i.prompt);
    expect(found.sort()).toEqual(["Anime three", "Anime two"]);
    const tooLong = await fetch(`${stack.appUrl}/api/images?q=${"x".repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      "q",
    ]);

    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
      const box = page.getByLabel("Title contains");
      await box.pressSequentially("colo", { delay: 30 });
      await expect.poll(() => page.url()).toContain("q=colo");
      await expect.poll(() => ids(page)).toEqual(expect.arrayContaining(water.map((c) => c.id)));
      expect(await cards(page).count()).toBe(3);
      // What was typed stays while the results come in; narrowing further filters again.
      await box.pressSequentially("r t", { delay: 30 });
      await expect.poll(() => cards(page).count()).toBe(2);
      expect(await box.inputValue()).toBe("color t");
      await page.getByLabel("Style").selectOption("anime");
      await expect.poll(() => page.getByTestId("gallery-empty").textContent()).toContain("No images match");
      await page.getByRole("link", { name: "Clear filters" }).click();
      await expect.poll(() => cards(page).count()).toBe(6);
      expect(await box.inputValue()).toBe("");
    } finally {
      await browser.close();
    }
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "load" });
      await page.getByLabel("Title contains").fill("one");
      await page.getByRole("button", { name: "Apply" }).click();
      await page.waitForURL(/q=one/);
      expect((await ids(page)).sort()).toEqual([anime[0]!.id, water[0]!.id].sort());
      expect(await page.getByLabel("Title contains").inputValue()).toBe("one");
    } finally {
      await noJs.close();
    }
  });

  it("opens the lightbox, steps with the arrow keys, closes with Esc and returns focus", async () => {
    for (const [name, width, height] of [
      ["desktop", 1280, 900],
      ["phone", 390, 844],
    ] as const) {
      const browser = await openBrowser({ width, height });
      try {
        const page = await browser.context.newPage();
        await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
        await page.screenshot({ path: path.join(artifactsDir, `gallery-${name}.png`), fullPage: true });
        const opener = page.getByTestId("gallery-open").nth(0);
        await opener.focus();
        await page.keyboard.press("Enter");
        const box = page.getByTestId("lightbox");
        await expect.poll(() => box.isVisible()).toBe(true);
        await expect.poll(() => page.getByTestId("lightbox-position").textContent()).toBe("1 / 6");
        const first = await page.getByTestId("lightbox-image").getAttribute("src");
        await page.keyboard.press("ArrowRight");
        await expect.poll(() => page.getByTestId("lightbox-position").textContent()).toBe("2 / 6");
        expect(await page.getByTestId("lightbox-image").getAttribute("src")).not.toBe(first);
        await expect.poll(() => page.getByTestId("lightbox-meta").textContent()).toContain("Template");
        await page.waitForFunction(() => {
          const img = document.querySelector<HTMLImageElement>('[data-testid="lightbox-image"]');
          return !!img && img.complete && img.naturalWidth > 0;
        });
        await page.screenshot({ path: path.join(artifactsDir, `lightbox-${name}.png`) });
        if (name === "desktop") {
          expect(await checkA11y(page)).toEqual([]);
          // Download goes through the export route as an attachment.
          const href = (await page.getByRole("link", { name: "Download" }).getAttribute("href")) as string;
          expect(href).toMatch(/^\/api\/download\/[A-Za-z0-9_-]+\?v=\d+$/);
          const file = await page.request.get(`${stack.appUrl}${href}`);
          expect(file.status()).toBe(200);
          expect(file.headers()["content-disposition"]).toMatch(/^attachment/);
        }
        await page.keyboard.press("ArrowLeft");
        await expect.poll(() => page.getByTestId("lightbox-position").textContent()).toBe("1 / 6");
        await closeLightboxExpectingFocus(page, opener);
        // Opened again and stepped on: Esc leaves the keyboard on the card of the image shown last.
        await page.keyboard.press("Enter");
        await expect.poll(() => page.getByTestId("lightbox-position").textContent()).toBe("1 / 6");
        await page.keyboard.press("ArrowRight");
        await expect.poll(() => page.getByTestId("lightbox-position").textContent()).toBe("2 / 6");
        await closeLightboxExpectingFocus(page, page.getByTestId("gallery-open").nth(1));
      } finally {
        await browser.close();
      }
    }
  });

  it("steps the lightbox past the last image shown: older images load and it goes on", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      // Older pages wait until the lightbox is at the last image shown (scrolling would load them first).
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      await page.route("**/api/images?**", async (route) => {
        await released;
        await route.continue();
      });
      await page.goto(`${stack.appUrl}/gallery?limit=2`, { waitUntil: "load" });
      const position = () => page.getByTestId("lightbox-position").textContent();
      await page.getByTestId("gallery-open").nth(1).click();
      // Two of six loaded: the count is of all six (the first page says how many match).
      await expect.poll(position).toBe("2 / 6");
      const second = await page.getByTestId("lightbox-image").getAttribute("src");
      expect(await page.getByRole("button", { name: "Next image" }).isDisabled()).toBe(false);
      await page.keyboard.press("ArrowRight");
      release();
      await expect.poll(position).toBe("3 / 6");
      expect(await page.getByTestId("lightbox-image").getAttribute("src")).not.toBe(second);
      // To the end of the gallery: six images, then the arrow stops.
      await expect
        .poll(async () => (await page.keyboard.press("ArrowRight"), position()), { timeout: 20_000 })
        .toBe("6 / 6");
      expect(await page.getByRole("button", { name: "Next image" }).isDisabled()).toBe(true);
      // A page that began at a cursor (an older page, as a link without JavaScript leads to) counts
      // what it has loaded, and says more follow (older pages held back again, as above).
      await page.unroute("**/api/images?**");
      await page.route("**/api/images?**", () => undefined);
      const api = await fetch(`${stack.appUrl}/api/images?limit=1`);
      const first = (await api.json()) as { nextCursor: string; total: unknown };
      expect(first.total).toEqual({ count: 6, capped: false });
      await page.goto(`${stack.appUrl}/gallery?limit=2&cursor=${first.nextCursor}`, { waitUntil: "load" });
      await page.getByTestId("gallery-open").nth(1).click();
      await expect.poll(position).toBe("2 / 2+ loaded, more follow");
    } finally {
      await browser.close();
    }
  });

  it("selects two by keyboard and deletes them after confirming: rows and blob files are gone", async () => {
    const before = blobFiles(stack.dataDir);
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
      const [a, b] = (await ids(page)) as [string, string];
      for (const id of [a, b]) {
        await page.locator(`[data-id="${id}"] input[type=checkbox]`).focus();
        await page.keyboard.press("Space");
      }
      await expect.poll(() => page.getByTestId("selection-count").textContent()).toBe("2 images selected");
      const zip = await page.getByRole("link", { name: "Download ZIP" }).getAttribute("href");
      expect(zip).toBe(`/api/images/zip?ids=${a},${b}`);
      // The export route answers that link with a real ZIP of the two.
      const zipRes = await page.request.get(`${stack.appUrl}${zip}`);
      expect(zipRes.status()).toBe(200);
      expect(zipRes.headers()["content-type"]).toContain("zip");
      expect((await zipRes.body()).subarray(0, 2).toString()).toBe("PK");
      await page.getByRole("button", { name: "Delete…" }).click();
      const dialog = page.getByTestId("delete-dialog");
      await expect.poll(() => dialog.getByRole("heading").textContent()).toBe("Delete 2 images?");
      await page.screenshot({ path: path.join(artifactsDir, "gallery-delete-desktop.png") });
      await dialog.getByRole("button", { name: "Delete 2 images" }).click();
      await expect.poll(() => cards(page).count()).toBe(4);
      expect(await ids(page)).not.toEqual(expect.arrayContaining([a]));
      expect(await ids(page)).not.toEqual(expect.arrayContaining([b]));
      // Gone for the API and for a fresh load too.
      const api = (await (await fetch(`${stack.appUrl}/api/images`)).json()) as { images: { id: string }[] };
      expect(api.images.map((i) => i.id).sort()).toEqual(
        [...anime, ...water]
          .map((c) => c.id)
          .filter((id) => id !== a && id !== b)
          .sort(),
      );
    } finally {
      await browser.close();
    }
    const after = blobFiles(stack.dataDir);
    const goneFinals = [...anime, ...water].filter((c) => !after.includes(keyOf(c.imageUrl as string)));
    expect(goneFinals).toHaveLength(2);
    const raws = (files: string[]) => files.filter((f) => f.startsWith("raw/")).length;
    expect(raws(before) - raws(after)).toBe(2);
    const data = (files: string[]) => files.filter((f) => !f.startsWith(".meta/"));
    expect(data(before).length - data(after).length).toBe(4);
    // Their sidecars too: nothing is left behind for the deleted objects.
    expect(before.length - after.length).toBe(8);
  });
});

describe("gallery delete in production mode", () => {
  let stack: Stack;
  let cells: CellJson[] = [];

  beforeAll(async () => {
    stack = await startStack({ APP_MODE: "production", ADMIN_TOKEN: "secret" });
    const id = await makeBatch(stack.appUrl, {
      prompts: ["Prod one", "Prod two"],
      style: "anime",
      template: "bottom-bar",
    });
    cells = await finishedCells(stack.appUrl, id);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const del = (ids: string[], token?: string) =>
    fetch(`${stack.appUrl}/api/images`, {
      method: "DELETE",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ ids }),
    });
  const count = async () =>
    ((await (await fetch(`${stack.appUrl}/api/images`)).json()) as { images: unknown[] }).images.length;

  it("refuses without the token (401) or with a wrong one (403), deletes with it", async () => {
    const first = (cells[0] as CellJson).id;
    const none = await del([first]);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({
      error: expect.any(String),
      issues: [{ path: "authorization" }],
    });
    expect((await del([first], "wrong")).status).toBe(403);
    expect(await count()).toBe(2);
    const bad = await del([], "secret");
    expect(bad.status).toBe(400);
    const ok = await del([first], "secret");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ deleted: [first], skipped: [] });
    expect(await count()).toBe(1);
  });

  it("asks for the admin token in the confirm dialog and shows a refusal", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
      expect(await cards(page).count()).toBe(1);
      await page.getByLabel("Select all shown").check();
      await page.getByRole("button", { name: "Delete…" }).click();
      const dialog = page.getByTestId("delete-dialog");
      await dialog.getByLabel("Admin token").fill("wrong");
      await dialog.getByRole("button", { name: "Delete 1 image" }).click();
      await expect.poll(() => dialog.getByTestId("delete-error").textContent()).toContain("not right");
      expect(await cards(page).count()).toBe(1);
      await dialog.getByLabel("Admin token").fill("secret");
      await dialog.getByRole("button", { name: "Delete 1 image" }).click();
      await expect.poll(() => page.getByTestId("gallery-empty").textContent()).toContain("No images yet");
      expect(await count()).toBe(0);
    } finally {
      await browser.close();
    }
  });

  it("with JavaScript off, asks for the token in the confirm step and deletes nothing on a wrong one", async () => {
    const id = await makeBatch(stack.appUrl, {
      prompts: ["No-JS one", "No-JS two"],
      style: "anime",
      template: "bottom-bar",
    });
    const [x, y] = (await finishedCells(stack.appUrl, id)).map((c) => c.id) as [string, string];
    const browser = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/gallery`, { waitUntil: "load" });
      for (const cell of [x, y]) await page.locator(`[data-id="${cell}"] input[type=checkbox]`).check();
      await page.getByRole("button", { name: "Delete selected…" }).click();
      const confirm = page.getByTestId("confirm-delete");
      await confirm.getByLabel("Admin token").fill("wrong");
      const refused = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/api/images/delete")),
        confirm.getByRole("button", { name: "Delete 2 images" }).click(),
      ]);
      expect(refused[0].status()).toBe(403);
      expect(await page.getByRole("heading").textContent()).toBe("The admin token is not right.");
      expect(await count()).toBe(2);
      await page.getByRole("link", { name: "Try again" }).click();
      await page.getByTestId("confirm-delete").getByLabel("Admin token").fill("secret");
      await page.getByRole("button", { name: "Delete 2 images" }).click();
      await page.waitForURL(/deleted=2/);
      expect(await page.getByTestId("gallery-notice").textContent()).toBe("Deleted 2 images.");
      expect(await count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
