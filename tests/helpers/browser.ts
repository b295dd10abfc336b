import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";

const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh Chromium profile (no cookies, no cache): every call is a new visitor. */
export async function openBrowser(
  options: { javaScriptEnabled?: boolean; width?: number; height?: number } = {},
) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "thumbs-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    acceptDownloads: true,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  } satisfies Browser;
}

export const artifactsDir = path.resolve(import.meta.dirname, "../../test-results");

/**
 * Closes the open lightbox with Esc and waits until focus is on `opener`: the control of the image shown
 * last (the one that opened it, unless the arrows moved on), told by its accessible name (Radix hands
 * focus back a tick after the dialog unmounts).
 */
export async function closeLightboxExpectingFocus(page: Page, opener: Locator): Promise<void> {
  await page.keyboard.press("Escape");
  await expect.poll(() => page.getByTestId("lightbox").count()).toBe(0);
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
    .toBe(await opener.getAttribute("aria-label"));
}

/**
 * The focused element, named, when a bar stuck to the bottom of the window (`data-sticky-bottom`)
 * covers any of it, once the page has settled; null when it is in full view above the bar (or there
 * is no bar, or it is in it).
 */
export async function focusUnderBar(page: Page): Promise<string | null> {
  // Two frames: the page's own scrolling after a focus change has run.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return page.evaluate(() => {
    const el = document.activeElement;
    const bar = document.querySelector("[data-sticky-bottom]");
    if (!el || el === document.body || !bar || bar.contains(el)) return null;
    const box = el.getBoundingClientRect();
    const covered = box.bottom - bar.getBoundingClientRect().top;
    if (covered < 1) return null;
    const name = el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 40) ?? "";
    return `${el.tagName}:${name} (${Math.round(covered)} px under the bar)`;
  });
}
