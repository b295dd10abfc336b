/**
 * Issue 5's studio checks in Chromium: the live estimate matches the catalog, importing a batch.json fills
 * the form, a budget below the estimate is refused with a message beside the field (in the browser and by
 * the server), titles in right-to-left and rare scripts read right on the pages, and screenshots of the
 * form at desktop and phone widths are kept as artifacts.
 */
import { writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Locator, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANVASES } from "@/lib/catalog/canvases";
import { estimateCost, getModel, pickSize, type ModelId } from "@/lib/catalog/models";
import { formatUsd } from "@/lib/format";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { followBatch, submitBatch } from "../../scripts/lib/batch-client";
import { checkA11y } from "../helpers/a11y";
import { artifactsDir, focusUnderBar, openBrowser, type Browser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

let sim: Simulator;
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, profile: "fast" });
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await sim?.close();
});

const paid: ModelId[] = ["gpt-image-1-mini", "gpt-image-1.5", "gemini-3-pro-image"];

/** What the catalog says 4 titles on these models cost on the default (blog) canvas at default quality. */
function catalogEstimate(titles: number): number {
  const canvas = CANVASES[0];
  return paid.reduce((sum, id) => {
    const m = getModel(id);
    return sum + estimateCost(m, m.defaultQuality, pickSize(m, canvas).id) * titles;
  }, 0);
}

/** The studio with no draft left by an earlier test (drafts persist in the shared browser profile). */
async function openForm() {
  const page = await browser.context.newPage();
  await page.goto(`${stack.appUrl}/api/health`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(stack.appUrl, { waitUntil: "networkidle" });
  return page;
}

/** The text of the elements `aria-describedby` names: what a screen reader reads with the field. */
const description = (field: Locator) =>
  field.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );

describe("studio form", () => {
  it("estimates a 4 × 3 batch exactly as the catalog prices it", async () => {
    const page = await openForm();
    await page.getByRole("button", { name: "Edit as text" }).click();
    await page.getByLabel("All titles, one per line").fill("One\nTwo\nThree\nFour");
    await page.getByRole("checkbox", { name: /Preview \(offline\)/ }).uncheck();
    for (const label of [/GPT Image 1 mini/, /GPT Image 1\.5/, /Gemini 3 Pro Image/]) {
      await page.getByRole("checkbox", { name: label }).check();
    }
    await expect.poll(() => page.getByTestId("estimate-images").textContent()).toBe("12 images");
    expect(await page.getByTestId("estimate-cost").textContent()).toBe(formatUsd(catalogEstimate(4)));
    // A screen reader hears one short line once the counts settle, not the whole bar on every key.
    expect(await page.getByTestId("estimate").getAttribute("aria-live")).toBeNull();
    await expect
      .poll(() => page.getByTestId("estimate-announce").textContent(), { timeout: 5000 })
      .toMatch(new RegExp(`^12 images, estimated \\${formatUsd(catalogEstimate(4))}, about .+`));
    await page.screenshot({ path: path.join(artifactsDir, "studio-form-desktop.png"), fullPage: true });
    await page.close();
  });

  it("prices each model card at the quality chosen, as the estimate does", async () => {
    const page = await openForm();
    await page.getByLabel("Title 1", { exact: true }).fill("One");
    await page.getByRole("checkbox", { name: /Preview \(offline\)/ }).uncheck();
    const card = page.getByRole("checkbox", { name: /GPT Image 1\.5/ });
    await card.check();
    const m = getModel("gpt-image-1.5");
    const size = pickSize(m, CANVASES[0]).id;
    const cardText = () => card.locator("xpath=..").innerText();
    for (const tier of ["high", "low"]) {
      await page.getByLabel("Quality").selectOption(tier);
      const price = estimateCost(m, tier, size);
      // The card said the default tier's price whatever was chosen: $0.05 beside a $0.20 estimate.
      await expect.poll(cardText).toContain(`${formatUsd(price)}/image`);
      expect(await page.getByTestId("estimate-cost").textContent()).toBe(formatUsd(price));
    }
    await page.close();
  });

  it("edits titles as a list: paste many lines, insert, move, remove", async () => {
    const page = await openForm();
    const title = (n: number) => page.getByLabel(`Title ${n}`, { exact: true });
    const values = () =>
      page
        .getByTestId("prompt-list")
        .locator("input")
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await title(1).fill("Kept");
    await title(1).focus();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData("text", "Alpha\n  Beta  \n\nGamma");
      document.activeElement!.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }),
      );
    });
    await expect.poll(values).toEqual(["Kept", "Alpha", "Beta", "Gamma"]);
    await title(2).press("Enter");
    await expect.poll(values).toEqual(["Kept", "Alpha", "", "Beta", "Gamma"]);
    await title(3).fill("Inserted");
    await page.getByRole("button", { name: "Move title 4 up" }).click();
    await expect.poll(values).toEqual(["Kept", "Alpha", "Beta", "Inserted", "Gamma"]);
    await page.getByRole("button", { name: "Move title 1 down" }).click();
    await page.getByRole("button", { name: "Remove title 5" }).click();
    await expect.poll(values).toEqual(["Alpha", "Kept", "Beta", "Inserted"]);
    expect(await page.getByRole("button", { name: "Move title 4 down" }).isDisabled()).toBe(true);
    // Typing after the edits still lands in the row typed into (the handlers read the current list).
    await title(3).press("End");
    await page.keyboard.type("!");
    await expect.poll(values).toEqual(["Alpha", "Kept", "Beta!", "Inserted"]);
    await page.close();
  });

  it("sets right-to-left titles right to left: typed, one per line, on the batch page and in the gallery", async () => {
    const page = await openForm();
    const direction = (el: Element) => getComputedStyle(el).direction;
    await page.getByLabel("Title 1", { exact: true }).fill("مرحبا بالعالم 2026");
    await page.getByLabel("Title 1", { exact: true }).press("Enter");
    await page.getByLabel("Title 2", { exact: true }).fill("Hello world");
    expect(await page.getByLabel("Title 1", { exact: true }).evaluate(direction)).toBe("rtl");
    expect(await page.getByLabel("Title 2", { exact: true }).evaluate(direction)).toBe("ltr");
    // As text, each line takes its own direction.
    await page.getByRole("button", { name: "Edit as text" }).click();
    const box = page.getByRole("textbox", { name: "All titles, one per line" });
    expect(await box.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe("plaintext");
    await page.close();

    const arabic = "دليل المبتدئين (٢٠٢٦)";
    const adlam = "𞤀𞤣𞤤𞤢𞤥 𞤆𞤵𞤤𞤢𞤪"; // Adlam, Pular: no system font here has it
    const created = await submitBatch(stack.appUrl, {
      prompts: ["A Latin title", arabic, adlam],
      models: ["local-preview"],
      style: "minimalist",
      template: "bottom-bar",
      font: "inter",
    });
    if (!created.ok) throw new Error(`submit rejected: ${JSON.stringify(created)}`);
    await followBatch(stack.appUrl, created.id, {});
    const batch = await browser.context.newPage();
    await batch.goto(`${stack.appUrl}/b/${created.id}`, { waitUntil: "load" });
    // The title is isolated from its row number, and reads right to left inside it.
    const row = batch.getByRole("rowheader").filter({ hasText: arabic }).locator("bdi");
    expect(await row.evaluate(direction)).toBe("rtl");
    await batch.goto(`${stack.appUrl}/gallery?q=${encodeURIComponent("المبتدئين")}`, { waitUntil: "load" });
    const caption = batch.locator("p", { hasText: arabic }).first();
    expect(await caption.evaluate(direction)).toBe("rtl");
    // A script the system lacks is drawn in the shipped face (as wide as the same text set in it
    // alone), not as missing-glyph boxes.
    await batch.goto(`${stack.appUrl}/gallery`, { waitUntil: "networkidle" });
    await batch.evaluate(() => document.fonts.ready);
    const widths = await batch
      .locator("p", { hasText: adlam })
      .first()
      .evaluate((el) => {
        const width = (node: Node) => {
          const range = document.createRange();
          range.selectNodeContents(node);
          return range.getBoundingClientRect().width;
        };
        const probe = el.cloneNode(true) as HTMLElement;
        probe.style.cssText = "font-family: 'Studio Rare Scripts'; position: absolute; display: inline";
        document.body.append(probe);
        return [width(el), width(probe)];
      });
    expect(widths[0]).toBeGreaterThan(0);
    expect(Math.abs(widths[0]! - widths[1]!)).toBeLessThan(1);
    await batch.close();
  });

  it("keeps the keyboard on the title being typed or moved, and a paste replaces the selection", async () => {
    const page = await openForm();
    const values = () =>
      page
        .getByTestId("prompt-list")
        .locator("input")
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await page.getByLabel("Title 1", { exact: true }).fill("First");
    await page.getByLabel("Title 1", { exact: true }).press("Enter");
    await page.keyboard.type("Second");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Third");
    expect(await values()).toEqual(["First", "Second", "Third"]);
    // The focus follows the moved title: pressing again moves it on.
    await page.getByRole("button", { name: "Move title 3 up" }).click();
    await page.keyboard.press("Enter");
    expect(await values()).toEqual(["Third", "First", "Second"]);
    // Several pasted lines replace the selected text of the row.
    const second = page.getByLabel("Title 2", { exact: true });
    await second.selectText();
    await second.evaluate((el) => {
      const data = new DataTransfer();
      data.setData("text", "Pasted one\nPasted two");
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    });
    expect(await values()).toEqual(["Third", "Pasted one", "Pasted two", "Second"]);
    await page.close();
  });

  it("warns beside a title the chosen template will shorten, and not once a roomier one is chosen", async () => {
    const page = await openForm();
    const long =
      "How We Cut Our Cloud Bill by Sixty Percent Without Touching a Single Line of Application Code, and What We Learned About Budgets";
    await page.getByLabel("Title 1", { exact: true }).fill("A short title");
    await page.getByLabel("Title 1", { exact: true }).press("Enter");
    await page.keyboard.type(long);
    // The cards' radios are visually hidden: a person clicks the card.
    const pick = (name: RegExp) =>
      page
        .locator("label")
        .filter({ has: page.getByRole("radio", { name }) })
        .click();
    await pick(/Bottom bar/);
    await pick(/^Inter/);
    const notes = page.getByTestId("title-note");
    await expect.poll(() => notes.count()).toBe(1);
    expect(await page.getByRole("listitem").filter({ has: notes }).locator("input").inputValue()).toBe(long);
    expect(await notes.textContent()).toContain("Too long for Bottom bar");
    // The note describes its field: a screen reader reads it with the title.
    expect(await description(page.getByLabel("Title 2", { exact: true }))).toBe(await notes.textContent());
    expect(await description(page.getByLabel("Title 1", { exact: true }))).toBe("");
    await pick(/Overlay, bottom/);
    await expect.poll(() => notes.count()).toBe(0);
    await page.close();
  });

  it("warns beside a title with characters no thumbnail font draws, and still sends it", async () => {
    const page = await openForm();
    const fancy = "Mongolian ᠮᠣᠩᠭᠣᠯ and 𝗕𝗼𝗹𝗱 text";
    await page.getByLabel("Title 1", { exact: true }).fill("Plain title");
    await page.getByLabel("Title 1", { exact: true }).press("Enter");
    await page.keyboard.type(fancy);
    const notes = page.getByTestId("title-note");
    // The server's first title in a rare script loads the fallback fonts: give its answer time.
    await expect.poll(() => notes.count(), { timeout: 15_000 }).toBe(1);
    const note = (await notes.textContent()) ?? "";
    expect(note).toMatch(/^No thumbnail font can draw ᠮ .*: they will show as empty boxes\. Styled letters/);
    expect(note).toContain("𝗕");
    expect(await description(page.getByLabel("Title 2", { exact: true }))).toBe(note);
    // Advice, not a refusal: the batch is made with the title as typed.
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await page.waitForURL(/\/b\//);
    await page.close();
  });

  it("marks a repeated title under it, naming the title it repeats, until duplicates are removed", async () => {
    const page = await openForm();
    await page.getByLabel("Title 1", { exact: true }).fill("Ten tips for faster builds");
    await page.getByLabel("Title 1", { exact: true }).press("Enter");
    await page.keyboard.type("Another title");
    await page.keyboard.press("Enter");
    await page.keyboard.type("ten tips for  faster builds");
    const notes = page.getByTestId("title-note");
    // It was only counted on the button ("Remove duplicates (1)"), and made and paid for twice.
    await expect.poll(() => notes.count()).toBe(1);
    const note = 'Same as title 1: it would be made twice ("Remove duplicates" drops it).';
    expect(await notes.textContent()).toBe(note);
    expect(await description(page.getByLabel("Title 3", { exact: true }))).toBe(note);
    await page.getByRole("button", { name: "Remove duplicates (1)" }).click();
    await expect.poll(() => notes.count()).toBe(0);
    expect(await page.getByLabel("Title 3", { exact: true }).count()).toBe(0);
    await page.close();
  });

  it("ties a refused title's message to its field, and takes the keyboard there", async () => {
    const page = await openForm();
    await page.getByLabel("Title 1", { exact: true }).fill("\u200b\u200d");
    await page.getByRole("button", { name: "Generate thumbnails" }).press("Enter");
    const title = page.getByLabel("Title 1", { exact: true });
    await expect.poll(() => title.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Title 1");
    expect(await description(title)).toMatch(/^Title 1 has no visible characters/);
    await page.close();
  });

  it("edited as text, counts a long paste, says which line is refused and puts the caret on it", async () => {
    const page = await openForm();
    const lines = Array.from({ length: 1700 }, (_, i) => `Blog post title ${i + 1}`);
    lines[10] = "";
    lines[56] = "x".repeat(240);
    await page.getByRole("button", { name: "Edit as text" }).click();
    const box = page.getByLabel("All titles, one per line");
    await box.fill(lines.join("\n"));
    // The blank line is no title: the counts say so before anything is sent.
    expect(await page.getByTestId("estimate-counts").textContent()).toBe("1,699 titles × 1 model = ");
    expect(await page.getByRole("checkbox", { name: /^Send as 34 batches/ }).count()).toBe(1);
    // On 3 models no split is offered: the bar says why and what would be taken, not only a red count.
    await page.getByRole("checkbox", { name: /GPT Image 1 mini/ }).check();
    await page.getByRole("checkbox", { name: /GPT Image 1\.5/ }).check();
    await expect
      .poll(() => page.getByTestId("estimate-no-split").textContent())
      .toBe(
        "Too many to send at once, even as several batches: one submit takes at most 1,600 titles on 3 models; send the rest afterwards, or choose fewer models.",
      );
    await page.getByRole("checkbox", { name: /GPT Image 1\.5/ }).uncheck();
    await page.getByRole("checkbox", { name: /GPT Image 1 mini/ }).uncheck();
    // Refused in the browser: the line's message was shown nowhere ("Please fix the fields marked
    // above", nothing marked) and the keyboard stayed on the button.
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await expect.poll(() => box.getAttribute("aria-invalid")).toBe("true");
    expect(await description(box)).toBe("Line 57: title is 240 characters; the limit is 200");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(
      "All titles, one per line",
    );
    const selected = await box.evaluate((el: HTMLTextAreaElement) =>
      el.value.slice(el.selectionStart, el.selectionEnd),
    );
    expect(selected).toBe(lines[56]);
    expect(page.url()).toBe(`${stack.appUrl}/`);
    await page.close();
  });

  it("keeps the form and says so beside the button when the server does not answer a submit", async () => {
    const page = await openForm();
    await page.getByLabel("Title 1", { exact: true }).fill("Sent while the connection drops");
    await page.getByLabel("Context").fill("Context typed before the failure");
    // The action's POST never gets an answer; the page's own loads still do.
    const drop = (route: Route) =>
      route.request().method() === "POST" ? route.abort("connectionreset") : route.fallback();
    await page.route(`${stack.appUrl}/`, drop);
    const submit = page.getByRole("button", { name: "Generate thumbnails" });
    await submit.click();
    // The error page replaced the whole form ("Something went wrong · Failed to fetch").
    const said = page.getByRole("alert").filter({ hasText: "The server did not answer" });
    await expect.poll(() => said.count()).toBe(1);
    expect(await said.textContent()).toContain("Your form is kept: try again");
    expect(await page.getByText("Something went wrong").count()).toBe(0);
    expect(await page.getByLabel("Title 1", { exact: true }).inputValue()).toBe(
      "Sent while the connection drops",
    );
    expect(await page.getByLabel("Context").inputValue()).toBe("Context typed before the failure");
    expect(await submit.isEnabled()).toBe(true);
    // The keyboard is back on the button (it fell to the page while the button was disabled).
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Generate thumbnails");
    await page.unroute(`${stack.appUrl}/`, drop);
    await submit.click();
    await page.waitForURL(/\/b\//);
    await page.close();
  });

  it("fills the form from an imported batch.json, after the titles typed, retired models mapped", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "batch-json-"));
    const file = path.join(dir, "batch.json");
    const titles = [
      "Why fan-out beats sequential generation",
      "Three retries with exponential backoff",
      "Idempotent batch outputs at scale",
    ];
    writeFileSync(
      file,
      // gpt-image-1 is retired: the studio ticks its successor, as the server would use it.
      JSON.stringify([titles, ["gpt-image-1", "local-preview"], "neon", "center-box", "bangers", "", ""]),
    );
    const page = await openForm();
    await page.getByLabel("Title 1", { exact: true }).fill("A title typed first");
    await page.getByTestId("import-file").setInputFiles(file);
    await expect.poll(() => page.getByLabel("Title 4", { exact: true }).inputValue()).toBe(titles[2]);
    expect(await page.getByLabel("Title 1", { exact: true }).inputValue()).toBe("A title typed first");
    expect(await page.getByLabel("Title 2", { exact: true }).inputValue()).toBe(titles[0]);
    expect(await page.getByRole("checkbox", { name: /GPT Image 1\.5/ }).isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: /Neon/ }).isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: /Centre box/ }).isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: /Bangers/ }).isChecked()).toBe(true);
    expect(await page.getByTestId("estimate-images").textContent()).toBe("8 images");
    const notice = page
      .getByRole("status")
      .filter({ hasText: "Added 3 titles from batch.json after your 1" });
    expect(await notice.textContent()).toContain("gpt-image-1 is retired: using GPT Image 1.5 instead");
    await page.close();
  });

  it("says a broken .json is not valid JSON, and where, as an error, not as news", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "batch-json-"));
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, '{"prompts": ["One",\n  "Two",]}');
    const good = path.join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ prompts: ["Read after all"] }));
    const page = await openForm();
    await page.getByTestId("import-file").setInputFiles(broken);
    const error = page.locator("#import-error");
    // It said "The JSON file is not valid: Unexpected token ']', …" in the blue of a status line.
    await expect
      .poll(() => error.textContent())
      .toBe("That file is not valid JSON (unexpected “]” at line 2, column 9).");
    expect(await error.getAttribute("role")).toBe("alert");
    // Drawn as the fields' errors are (the budget's, the titles'), not as the notices are.
    const colour = await error.evaluate((el) => getComputedStyle(el).color);
    await page.getByLabel("Budget (USD)").fill("nothing");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    const fieldError = page.locator("#budgetUsd-error");
    await expect.poll(() => fieldError.count()).toBe(1);
    expect(await fieldError.evaluate((el) => getComputedStyle(el).color)).toBe(colour);
    await page.getByLabel("Budget (USD)").fill("");
    // A file read afterwards says so, and the error goes.
    await page.getByTestId("import-file").setInputFiles(broken);
    await expect.poll(() => error.count()).toBe(1);
    await page.getByTestId("import-file").setInputFiles(good);
    await expect.poll(() => error.count()).toBe(0);
    expect(await page.getByRole("status").filter({ hasText: "from good.json" }).count()).toBe(1);
    await page.close();
  });

  it("refuses a budget below the estimate, beside the budget field, in the browser and on the server", async () => {
    const page = await openForm();
    await page.getByLabel("Title 1", { exact: true }).fill("A title that costs money");
    await page.getByRole("checkbox", { name: /GPT Image 1\.5/ }).check();
    await page.getByLabel("Budget (USD)").fill("0.01");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    const message = page.locator("#budgetUsd-error");
    await expect.poll(() => message.textContent()).toMatch(/exceeds your budget of \$0\.01/);
    // The keyboard is taken to the problem, not left on the button.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("budgetUsd-error");
    expect(page.url()).toBe(`${stack.appUrl}/`);
    // The server applies the same rule to API clients, and creates nothing.
    const res = await fetch(`${stack.appUrl}/api/batches`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        prompts: ["x"],
        models: ["gpt-image-1.5"],
        style: "neon",
        template: "bottom-bar",
        font: "inter",
        budgetUsd: 0.01,
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { path: string; message: string }[] };
    expect(body.issues[0]?.path).toBe("budgetUsd");
    expect(body.issues[0]?.message).toMatch(/exceeds your budget/);
    await page.close();
  });

  it('takes a budget written as money, "$5", refuses one below a cent, with JavaScript and without', async () => {
    const page = await openForm();
    await page.getByLabel("Title 1", { exact: true }).fill("A budget below a cent");
    const budget = page.getByLabel("Budget (USD)");
    // It was taken, then said as "$0.00" beside the estimate: "… exceeds your budget of $0.00".
    await budget.fill("0.001");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    const message = page.locator("#budgetUsd-error");
    await expect.poll(() => message.textContent()).toBe("Budget must be at least $0.01");
    expect(page.url()).toBe(`${stack.appUrl}/`);
    // Commas that could mean another amount are refused, saying how to write it.
    await budget.fill("2,50");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await expect
      .poll(() => message.textContent())
      .toBe(
        'Budget "2,50" is not clear: write cents after a point ($2.50) and commas only between thousands ($1,000)',
      );
    // "$5" was refused as "Budget must be a number of US dollars".
    await budget.fill(" $5 ");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
    const read = async (url: string) => {
      const id = new URL(url).pathname.split("/").pop()!;
      return ((await (await fetch(`${stack.appUrl}/api/batches/${id}`)).json()) as { budgetUsd: number })
        .budgetUsd;
    };
    expect(await read(page.url())).toBe(5);
    await page.close();
    // The server reads the field alike when the form is posted without JavaScript.
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const plain = await noJs.context.newPage();
      await plain.goto(`${stack.appUrl}/`, { waitUntil: "load" });
      await plain.getByLabel("Title 1", { exact: true }).fill("A budget in dollars, posted");
      // With thousands separators too ("1,000" was refused as no number).
      await plain.getByLabel("Budget (USD)").fill("$ 2,500.50");
      await plain.getByRole("button", { name: "Generate thumbnails" }).click();
      await plain.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
      expect(await read(plain.url())).toBe(2500.5);
    } finally {
      await noJs.close();
    }
  });

  it("sends titles over the images-per-batch limit as batches of whole titles, all or none", async () => {
    const newest = async () => {
      const res = await fetch(`${stack.appUrl}/api/batches?limit=5`);
      return ((await res.json()) as { batches: { id: string }[] }).batches.map((b) => b.id);
    };
    const before = await newest();
    const page = await openForm();
    const lines = Array.from({ length: 120 }, (_, i) => `Split title ${i + 1}`);
    await page.getByRole("button", { name: "Edit as text" }).click();
    await page.getByLabel("All titles, one per line").fill(lines.join("\n"));
    expect(await page.getByTestId("estimate-images").textContent()).toBe("120 images");
    const split = page.getByRole("checkbox", { name: "Send as 3 batches of up to 50 titles" });
    // Without the choice, the limit refuses the batch.
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await expect
      .poll(() => page.locator("#prompts-error").textContent())
      .toMatch(/the limit is 50 per batch/);
    // A budget cannot be shared out: refused beside the field, and nothing is made.
    await split.check();
    await page.getByLabel("Budget (USD)").fill("5");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await expect
      .poll(() => page.locator("#budgetUsd-error").textContent())
      .toMatch(/^A budget cannot be split/);
    expect(page.url()).toBe(`${stack.appUrl}/`);
    expect(await newest()).toEqual(before);

    await page.getByLabel("Budget (USD)").fill("");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await page.waitForURL(`${stack.appUrl}/batches?split=3`);
    expect(await page.getByRole("status").first().textContent()).toContain("3 batches of whole titles");
    // The three newest batches, listed in the order of the titles, each the creator's to manage.
    const rows = page.getByTestId("batch-row");
    const ids = await rows.evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute("data-id")!));
    for (let i = 0; i < 3; i++) expect(await rows.nth(i).textContent()).toContain("Yours");
    const prompts = await Promise.all(
      ids.map(async (id) => {
        const res = await fetch(`${stack.appUrl}/api/batches/${id}`);
        return ((await res.json()) as { prompts: string[] }).prompts;
      }),
    );
    expect(prompts).toEqual([lines.slice(0, 50), lines.slice(50, 100), lines.slice(100)]);
    // One key cookie makes this browser the owner of every batch it makes: no cookie per batch.
    const cookies = await browser.context.cookies(stack.appUrl);
    expect(cookies.filter((c) => c.name.startsWith("owner_"))).toEqual([]);
    expect(cookies.filter((c) => c.name === "studio_owner")).toHaveLength(1);
    await page.close();
  });

  it("keeps every choice after the server refuses a submit, and sends those once it is fixed", async () => {
    // React resets a form once its action is over: the checkboxes, radios and selects went back to the
    // first render's while the cards still showed the person's choices, and the next submit sent those.
    const page = await openForm();
    const lines = Array.from({ length: 30 }, (_, i) => `Kept after a refusal ${i + 1}`);
    await page.getByRole("button", { name: "Edit as text" }).click();
    await page.getByLabel("All titles, one per line").fill(lines.join("\n"));
    await page.getByRole("checkbox", { name: /Preview \(offline\)/ }).uncheck();
    await page.getByRole("checkbox", { name: /GPT Image 1 mini/ }).check();
    await page.getByRole("checkbox", { name: /GPT Image 1\.5/ }).check();
    await page.getByLabel("Quality").selectOption("low");
    await page.locator("label", { hasText: "Left panel" }).click();
    // 60 images, over the limit of 50: split, with a budget, which only the server refuses.
    await page.getByRole("checkbox", { name: /^Send as 2 batches/ }).check();
    await page.getByLabel("Budget (USD)").fill("5");
    const estimate = await page.getByTestId("estimate-cost").textContent();
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await expect
      .poll(() => page.locator("#budgetUsd-error").textContent())
      .toMatch(/^A budget cannot be split/);
    // What the form would send is what it shows, and the estimate is unchanged.
    const chosen = () =>
      page.locator("form", { has: page.getByTestId("estimate") }).evaluate((form: HTMLFormElement) => {
        const data = new FormData(form);
        return ["models", "template", "quality", "split", "budgetUsd"].map((k) => data.getAll(k).join(","));
      });
    expect(await chosen()).toEqual(["gpt-image-1-mini,gpt-image-1.5", "left-panel", "low", "1", "5"]);
    expect(await page.getByTestId("estimate-cost").textContent()).toBe(estimate);

    await page.getByLabel("Budget (USD)").fill("");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await page.waitForURL(`${stack.appUrl}/batches?split=2`);
    const ids = await page
      .getByTestId("batch-row")
      .evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute("data-id")!));
    for (const id of ids) {
      const res = await fetch(`${stack.appUrl}/api/batches/${id}`);
      const batch = (await res.json()) as { models: string[]; template: string; quality: string | null };
      expect([batch.models, batch.template, batch.quality]).toEqual([
        ["gpt-image-1-mini", "gpt-image-1.5"],
        "left-panel",
        "low",
      ]);
    }
    await page.close();
  });

  it("keeps an unsent draft across reloads until it is sent or the person starts over", async () => {
    const page = await openForm();
    const title = (n: number) => page.getByLabel(`Title ${n}`, { exact: true });
    const restored = page.getByRole("status").filter({ hasText: "Restored your unsent draft" });
    await page.getByRole("button", { name: "Edit as text" }).click();
    await page.getByLabel("All titles, one per line").fill("Saved across reloads\nSecond <b>title</b>");
    await page.getByRole("button", { name: "Edit as list" }).click();
    // The cards are labels around visually hidden radios: a person clicks the card.
    const card = (name: RegExp) => page.locator("label", { has: page.getByRole("radio", { name }) });
    await card(/Neon/).click();
    await card(/Bangers/).click();
    await page.getByLabel("Context").fill("A blog about cities at night");
    await page.getByLabel("Budget (USD)").fill("5");
    // Saved a moment after typing stops; reloading at once also keeps it (saved as the page goes).
    await page.reload({ waitUntil: "networkidle" });
    await expect.poll(() => title(2).inputValue()).toBe("Second <b>title</b>");
    expect(await title(1).inputValue()).toBe("Saved across reloads");
    expect(await page.getByRole("radio", { name: /Neon/ }).isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: /Bangers/ }).isChecked()).toBe(true);
    expect(await page.getByLabel("Context").inputValue()).toBe("A blog about cities at night");
    expect(await page.getByLabel("Budget (USD)").inputValue()).toBe("5");
    expect(await restored.textContent()).toMatch(/\(2 titles\)/);
    expect(await page.getByTestId("estimate-images").textContent()).toBe("2 images");
    await page.screenshot({ path: path.join(artifactsDir, "studio-draft-restored.png") });

    // Start over: the defaults, and nothing comes back on the next visit.
    await page.getByRole("button", { name: "Start over" }).click();
    await expect.poll(() => title(1).inputValue()).toBe("");
    expect(await page.getByRole("radio", { name: /Neon/ }).isChecked()).toBe(false);
    await page.reload({ waitUntil: "networkidle" });
    expect(await title(1).inputValue()).toBe("");
    expect(await restored.count()).toBe(0);

    // Sent: the batch page it leads to removes the draft, so the studio opens empty again.
    await title(1).fill("Sent as a batch");
    await page.getByRole("button", { name: "Generate thumbnails" }).click();
    await page.waitForURL(/\/b\//);
    await expect.poll(() => page.evaluate(() => localStorage.length)).toBe(0);
    await page.goto(stack.appUrl, { waitUntil: "networkidle" });
    expect(await title(1).inputValue()).toBe("");
    expect(await restored.count()).toBe(0);
    await page.close();
  });

  it("starts a new batch from an earlier one's titles and settings, offering an unsent draft instead", async () => {
    const created = await fetch(`${stack.appUrl}/api/batches`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        prompts: ["Reused title one", "Reused title two"],
        models: ["local-preview"],
        style: "neon",
        template: "center-box",
        font: "bangers",
        context: "A reused context",
      }),
    });
    const { id } = (await created.json()) as { id: string };
    const page = await openForm();
    const title = (n: number) => page.getByLabel(`Title ${n}`, { exact: true });
    const storedTitles = () =>
      page.evaluate(() => {
        const raw = localStorage.getItem("thumbnail-studio.draft.v1");
        return raw ? (JSON.parse(raw) as { values: { prompts: string[] } }).values.prompts : null;
      });
    await title(1).fill("My unsent draft");
    await expect.poll(storedTitles).toEqual(["My unsent draft"]);

    await page.goto(`${stack.appUrl}/b/${id}`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: "New batch from these titles" }).click();
    await page.waitForURL(`${stack.appUrl}/?from=${id}`);
    await expect.poll(() => title(2).inputValue()).toBe("Reused title two");
    expect(await title(1).inputValue()).toBe("Reused title one");
    expect(await page.getByRole("radio", { name: /Neon/ }).isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: /Centre box/ }).isChecked()).toBe(true);
    expect(await page.getByRole("radio", { name: /Bangers/ }).isChecked()).toBe(true);
    expect(await page.getByLabel("Context").inputValue()).toBe("A reused context");
    const started = page
      .getByRole("status")
      .filter({ hasText: "Started from batch “Reused title one” (2 titles)" });
    expect(await started.count()).toBe(1);
    // The unsent draft is offered, and not overwritten while the batch's values are untouched.
    await page.waitForTimeout(600);
    expect(await storedTitles()).toEqual(["My unsent draft"]);
    await page.getByRole("button", { name: /^Open your unsent draft from .* instead$/ }).click();
    await expect.poll(() => title(1).inputValue()).toBe("My unsent draft");
    expect(await page.getByRole("status").filter({ hasText: "Restored your unsent draft" }).count()).toBe(1);
    // The address no longer names the batch, so a reload brings the draft back, not the batch's titles.
    expect(page.url()).toBe(`${stack.appUrl}/`);
    await page.reload({ waitUntil: "networkidle" });
    expect(await title(1).inputValue()).toBe("My unsent draft");

    await page.goto(`${stack.appUrl}/?from=no-such-batch`, { waitUntil: "networkidle" });
    expect(
      await page.getByText('There is no batch "no-such-batch" to start from: the form starts empty.').count(),
    ).toBe(1);
    await page.close();

    // Without JavaScript the server-rendered form carries the batch's values and submits them.
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const plain = await noJs.context.newPage();
      await plain.goto(`${stack.appUrl}/?from=${id}`, { waitUntil: "load" });
      await plain.getByRole("button", { name: "Generate thumbnails" }).click();
      await plain.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
      const again = new URL(plain.url()).pathname.split("/").pop()!;
      expect(again).not.toBe(id);
      const batch = (await (await fetch(`${stack.appUrl}/api/batches/${again}`)).json()) as {
        prompts: string[];
        style: string;
        template: string;
        font: string;
        context: string;
      };
      expect(batch).toMatchObject({
        prompts: ["Reused title one", "Reused title two"],
        style: "neon",
        template: "center-box",
        font: "bangers",
        context: "A reused context",
      });
    } finally {
      await noJs.close();
    }
  });

  it("takes many titles without JavaScript, one per line, beside the first one", async () => {
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${stack.appUrl}/`, { waitUntil: "load" });
      // Buttons that need scripts are not shown, and the estimate does not pretend to follow the form.
      for (const name of [
        "Add title",
        "Edit as text",
        "Remove duplicates",
        "Import file…",
        "Remove title 1",
      ]) {
        expect(await page.getByRole("button", { name }).count()).toBe(0);
      }
      expect(await page.getByTestId("estimate-static").textContent()).toBe(
        "Up to 50 images a batch. Cost and time are estimated here with JavaScript on.",
      );
      await page.getByLabel("Title 1", { exact: true }).fill("Typed in the first box");
      await page
        .getByRole("textbox", { name: "More titles, one per line" })
        .fill("A second title\n\n  A third title  \n");
      await page.getByRole("button", { name: "Generate thumbnails" }).click();
      await page.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
      const id = new URL(page.url()).pathname.split("/").pop()!;
      const batch = (await (await fetch(`${stack.appUrl}/api/batches/${id}`)).json()) as {
        prompts: string[];
      };
      expect(batch.prompts).toEqual(["Typed in the first box", "A second title", "A third title"]);
    } finally {
      await noJs.close();
    }
    // With JavaScript the list grows instead, and the extra box is not there.
    const page = await browser.context.newPage();
    await page.goto(`${stack.appUrl}/`, { waitUntil: "networkidle" });
    expect(await page.getByRole("textbox", { name: "More titles, one per line" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Add title" }).count()).toBe(1);
    expect(await page.getByTestId("estimate-static").count()).toBe(0);
    await page.close();
  });

  it("without JavaScript, comes back from a refusal with what was sent, not the defaults", async () => {
    const noJs = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.context.newPage();
      await page.goto(`${stack.appUrl}/`, { waitUntil: "load" });
      const long = "x".repeat(201);
      await page.getByLabel("Title 1", { exact: true }).fill("Kept after a refusal");
      await page.getByRole("textbox", { name: "More titles, one per line" }).fill(`${long}\nA third title`);
      await page.getByLabel("Context").fill("Kept context");
      await page.getByRole("button", { name: "Generate thumbnails" }).click();
      await page.waitForLoadState("load");
      // Refused by the server (a title over 200 characters): the titles and the context are as sent.
      await expect
        .poll(() => page.getByLabel("Title 1", { exact: true }).inputValue())
        .toBe("Kept after a refusal");
      expect(await page.getByLabel("Title 2", { exact: true }).inputValue()).toBe(long);
      expect(await page.getByLabel("Title 3", { exact: true }).inputValue()).toBe("A third title");
      expect(await page.getByLabel("Context").inputValue()).toBe("Kept context");
      await page.getByLabel("Title 2", { exact: true }).fill("A second title");
      await page.getByRole("button", { name: "Generate thumbnails" }).click();
      await page.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
      const id = new URL(page.url()).pathname.split("/").pop()!;
      const batch = (await (await fetch(`${stack.appUrl}/api/batches/${id}`)).json()) as {
        prompts: string[];
        context: string;
      };
      expect(batch).toMatchObject({
        prompts: ["Kept after a refusal", "A second title", "A third title"],
        context: "Kept context",
      });
    } finally {
      await noJs.close();
    }
  });

  it("passes the accessibility check and is usable with the keyboard alone", async () => {
    const page = await openForm();
    expect(await checkA11y(page)).toEqual([]);
    // Tab from the top reaches the first title, then onward to the submit button; typing works.
    await page.keyboard.press("Tab");
    const seen: string[] = [];
    for (let i = 0; i < 120; i++) {
      const label = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? `${el.tagName}:${el.getAttribute("aria-label") ?? el.textContent?.trim() ?? ""}` : "";
      });
      seen.push(label);
      if (label === "BUTTON:Generate thumbnails") break;
      if (label === "INPUT:Title 1") await page.keyboard.type("Typed with the keyboard");
      await page.keyboard.press("Tab");
    }
    expect(seen).toContain("INPUT:Title 1");
    expect(seen).toContain("BUTTON:Import file…");
    // The file field behind "Import file…" is no second, invisible stop.
    expect(seen).not.toContain("INPUT:Import titles from a file");
    expect(seen.at(-1)).toBe("BUTTON:Generate thumbnails");
    expect(seen.indexOf("INPUT:Title 1")).toBeLessThan(seen.indexOf("BUTTON:Generate thumbnails"));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/b\//);
    await page.close();
  });

  it("never leaves the focused control under the estimate bar, at 200% zoom or stepping through cards", async () => {
    // 640 × 450 CSS px is a small laptop window at 200% zoom: the bar takes a quarter of it.
    const small = await openBrowser({ width: 640, height: 450 });
    try {
      const page = await small.context.newPage();
      await page.goto(stack.appUrl, { waitUntil: "networkidle" });
      await page.getByLabel("Title 1", { exact: true }).fill("A title, so the estimate bar grows");
      await page.getByLabel("Title 1", { exact: true }).focus();
      const covered: string[] = [];
      for (let i = 0; i < 120; i++) {
        await page.keyboard.press("Tab");
        const under = await focusUnderBar(page);
        if (under) covered.push(under);
        const label = await page.evaluate(() => document.activeElement?.textContent?.trim());
        if (label === "Generate thumbnails") break;
      }
      expect(covered).toEqual([]);
    } finally {
      await small.close();
    }
    // Arrow keys through the style cards at desktop size: each card comes into view whole.
    const page = await openForm();
    await page.getByRole("radio", { name: "Photorealistic" }).focus();
    const covered: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("ArrowRight");
      const under = await focusUnderBar(page);
      if (under) covered.push(under);
    }
    expect(await page.getByRole("radio", { name: "Isometric" }).isChecked()).toBe(true);
    expect(covered).toEqual([]);
    await page.close();
  });

  it("is usable at phone width", async () => {
    const phone = await openBrowser({ width: 390, height: 844 });
    try {
      const page = await phone.context.newPage();
      await page.goto(stack.appUrl, { waitUntil: "networkidle" });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // A fresh form has no titles yet: the estimate says what is missing instead of "0 images".
      expect(await page.getByTestId("estimate-empty").textContent()).toBe(
        "No images yet. Add a title and pick a model (up to 50 images).",
      );
      await page.screenshot({ path: path.join(artifactsDir, "studio-form-phone.png"), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it("marks the page shown in the navigation, also after moving by its links", async () => {
    const page = await browser.context.newPage();
    const nav = page.getByRole("navigation", { name: "Main" });
    const marked = () =>
      nav.locator('[aria-current="page"]').evaluateAll((els) => els.map((e) => e.textContent));
    for (const [at, name] of [
      ["/", "New batch"],
      ["/batches", "Batches"],
      ["/gallery", "Gallery"],
    ] as const) {
      await page.goto(`${stack.appUrl}${at}`, { waitUntil: "load" });
      expect(await marked()).toEqual([name]);
    }
    // Seen, not only announced: the page's link is drawn unlike the others.
    const look = (name: string) =>
      nav.getByRole("link", { name, exact: true }).evaluate((el) => {
        const style = getComputedStyle(el);
        return `${style.color} ${style.textDecorationLine}`;
      });
    expect(await look("Gallery")).not.toBe(await look("Batches"));
    // The layout stays while the app moves between pages: the mark moves with it.
    await nav.getByRole("link", { name: "Batches", exact: true }).click();
    await page.waitForURL(`${stack.appUrl}/batches`);
    await expect.poll(marked).toEqual(["Batches"]);
    await page.close();
  });

  it("asks the browser for dark scrollbars and controls, on every page of the dark app", async () => {
    const page = await browser.context.newPage();
    for (const at of ["/", "/gallery", "/batches"]) {
      await page.goto(`${stack.appUrl}${at}`);
      // Without it the selects' lists, scrollbars and unticked checkboxes were drawn light.
      expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe("dark");
      expect(await page.locator('meta[name="color-scheme"]').getAttribute("content")).toBe("dark");
    }
    await page.close();
  });
});
