/**
 * Restyle on the batch page: the owner makes a new batch from the same pictures with another template,
 * font and a corrected title, with and without JavaScript, and no provider is called again. Visitors
 * are not offered it.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { fetchBatch, submitBatch } from "../../scripts/lib/batch-client";
import { checkA11y } from "../helpers/a11y";
import { artifactsDir, openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";
import { BASE_REQUEST, settled } from "../fixtures/batch-helpers";

let sim: Simulator;
let stack: Stack;
let source = { id: "", ownerToken: "" };

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: { latencyMs: [100, 300], timeScale: 1 } });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url });
  const created = await submitBatch(stack.appUrl, {
    ...BASE_REQUEST,
    prompts: ["Serverless cold starts, measured", "A typo in the secnd title"],
    models: ["gpt-image-1.5"],
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  source = { id: created.id, ownerToken: created.ownerToken };
  expect((await settled(stack.appUrl, source.id)).status).toBe("succeeded");
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
});

async function ownerBrowser(javaScriptEnabled: boolean) {
  const browser = await openBrowser({ javaScriptEnabled, height: 1400 });
  await browser.context.addCookies([
    { name: `owner_${source.id}`, value: source.ownerToken, url: stack.appUrl },
  ]);
  return browser;
}

describe("restyle from the batch page", () => {
  it("makes a new batch from the same pictures with another template and a fixed title", async () => {
    const calls = sim.requests.length;
    const browser = await ownerBrowser(true);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${source.id}`, { waitUntil: "networkidle" });
      await page.getByText(/^Restyle: the same pictures/).click();
      await expect.poll(() => page.getByTestId("restyle-plan").textContent()).toMatch(/^2 pictures reused/);
      await page.locator("label", { hasText: "Left panel" }).click();
      expect(await page.getByRole("radio", { name: "Left panel" }).isChecked()).toBe(true);
      const titles = page.getByLabel("Titles, one per line, in order");
      await titles.fill("Serverless cold starts, measured\nA typo in the second title");
      expect(await checkA11y(page)).toEqual([]);
      await page.screenshot({ path: path.join(artifactsDir, "restyle-panel.png"), fullPage: true });
      await page.getByRole("button", { name: "Create restyled batch" }).click();
      await page.waitForURL(
        (url) => /\/b\/[A-Za-z0-9_-]{33}$/.test(url.pathname) && !url.pathname.endsWith(source.id),
      );
      await expect
        .poll(() => page.locator('[data-testid="cell"][data-status="succeeded"] img').count(), {
          timeout: 60_000,
        })
        .toBe(2);
      expect(await page.getByText("picture reused").count()).toBe(2);
      expect(await page.getByText(/Restyled from batch/).count()).toBe(1);
      expect(
        await page.getByRole("link", { name: "restyled from an earlier batch" }).getAttribute("href"),
      ).toBe(`/b/${source.id}`);
      const id = new URL(page.url()).pathname.split("/").pop() as string;
      const batch = await fetchBatch(stack.appUrl, id);
      expect([batch.template, batch.prompts[1], batch.restyledFrom]).toEqual([
        "left-panel",
        "A typo in the second title",
        source.id,
      ]);
      // The new batch is this browser's too: it may restyle it again.
      await expect.poll(() => page.getByTestId("restyle").count()).toBe(1);
      expect(sim.requests.length).toBe(calls);
    } finally {
      await browser.close();
    }
  });

  it("works without JavaScript, and shows what is wrong beside the field", async () => {
    const calls = sim.requests.length;
    const browser = await ownerBrowser(false);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${source.id}`, { waitUntil: "load" });
      await page.getByText(/^Restyle: the same pictures/).click();
      const titles = page.getByLabel("Titles, one per line, in order");
      await titles.fill("Only one title");
      await page.getByRole("button", { name: "Create restyled batch" }).click();
      await page.waitForLoadState("load");
      await expect.poll(() => page.getByText(/Expected 2 titles/).count()).toBe(1);

      await page.goto(`${stack.appUrl}/b/${source.id}`, { waitUntil: "load" });
      await page.getByText(/^Restyle: the same pictures/).click();
      await page.locator("label", { hasText: "Oswald" }).click();
      await page.getByRole("button", { name: "Create restyled batch" }).click();
      await page.waitForURL((url) => !url.pathname.endsWith(source.id));
      const id = new URL(page.url()).pathname.split("/").pop() as string;
      const batch = await settled(stack.appUrl, id);
      expect([batch.status, batch.font, batch.counts.succeeded]).toEqual(["succeeded", "oswald", 2]);
      expect(sim.requests.length).toBe(calls);
    } finally {
      await browser.close();
    }
  });

  it("keeps the edits after a refusal, open, naming the line of a blank title, with and without JavaScript", async () => {
    // With JavaScript React reset the form once the action was over (the titles back to the batch's, the
    // template and canvas inputs to the first render's); without it the page came back with the panel
    // closed and the edits gone.
    for (const javaScriptEnabled of [true, false]) {
      const browser = await ownerBrowser(javaScriptEnabled);
      try {
        const page = await browser.context.newPage();
        await page.goto(`${stack.appUrl}/b/${source.id}`, {
          waitUntil: javaScriptEnabled ? "networkidle" : "load",
        });
        const panel = page.getByTestId("restyle");
        await page.getByText(/^Restyle: the same pictures/).click();
        await panel.locator("label", { hasText: "Centre box" }).click();
        await page.locator("#restyle-canvas").selectOption("square");
        const titles = page.getByLabel("Titles, one per line, in order");
        const edited = "\nA typo in the second title, fixed";
        await titles.fill(edited);
        await page.getByRole("button", { name: "Create restyled batch" }).click();
        await expect
          .poll(() => page.locator("#restyle-prompts-error").textContent())
          .toBe("Line 1: title is empty");
        expect(await page.locator("#restyle-prompts-error").isVisible()).toBe(true);
        expect(await panel.getAttribute("open")).not.toBeNull();
        expect(await titles.inputValue()).toBe(edited);
        expect(await panel.getByRole("radio", { name: "Centre box" }).isChecked()).toBe(true);
        expect(await page.locator("#restyle-canvas").inputValue()).toBe("square");

        await titles.fill(`Serverless cold starts, revised${edited}`);
        await page.getByRole("button", { name: "Create restyled batch" }).click();
        await page.waitForURL((url) => !url.pathname.endsWith(source.id));
        const id = new URL(page.url()).pathname.split("/").pop() as string;
        const batch = await fetchBatch(stack.appUrl, id);
        expect([batch.template, batch.canvas, batch.prompts]).toEqual([
          "center-box",
          "square",
          ["Serverless cold starts, revised", "A typo in the second title, fixed"],
        ]);
      } finally {
        await browser.close();
      }
    }
  });

  it("is not offered to visitors", async () => {
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${stack.appUrl}/b/${source.id}`, { waitUntil: "networkidle" });
      await expect.poll(() => page.getByTestId("cell").count()).toBe(2);
      expect(await page.getByTestId("restyle").count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
