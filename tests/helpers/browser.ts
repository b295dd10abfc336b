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
 * Closes the open lightbox with Esc and waits until focus is back on `opener`, the element that
 * opened it (Radix restores focus a tick after the dialog unmounts).
 */
export async function closeLightboxExpectingFocus(page: Page, opener: Locator): Promise<void> {
  await page.keyboard.press("Escape");
  await expect.poll(() => page.getByTestId("lightbox").count()).toBe(0);
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
    .toBe(await opener.getAttribute("aria-label"));
}
