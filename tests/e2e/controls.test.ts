/**
 * The creator's cancel and resume buttons on the batch page: with JavaScript, and as plain form posts
 * answered by a redirect back to the page; a resume while the batch runs again is queued after its run.
 * Pictures paid for before the cancel are not paid for again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, bearer, post, readAs, settled, until } from "../fixtures/batch-helpers";
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
      // Cancelled before anything was made: the bar is the grey of cancelled cells, not the blue of made ones.
      const bar = page.getByRole("progressbar", { name: "Batch progress" });
      expect(
        await bar.locator("[data-part]").evaluateAll((els) => els.map((e) => e.getAttribute("data-part"))),
      ).toEqual(["cancelled"]);
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

  it("offers resume once the calls from before the cancel have landed, as the page hears they have", async () => {
    const before = sim.requests.length;
    const release = sim.hold();
    const { id, ownerToken } = await newBatch(["Still in flight", "Also in flight"]);
    // Both calls are out before the cancel: their pictures are paid for whatever happens next.
    await until(() => sim.requests.length - before === 2, "both calls to reach the provider");
    const { browser, page } = await ownerPage(id, ownerToken, true);
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    try {
      await page.getByRole("button", { name: "Cancel batch" }).click();
      await expect.poll(() => page.getByTestId("batch-status").textContent()).toBe("Status: cancelled");
      // A resume now would be refused (409): the page says what it waits for instead of offering it.
      const resume = page.getByRole("button", { name: "Resume 2 cancelled cells" });
      const waits = page.getByTestId("resume-waits");
      await expect
        .poll(() => waits.textContent())
        .toMatch(/^Waiting for 2 images from before the cancel to land… Resume is offered once they have/);
      expect(await resume.isDisabled()).toBe(true);
      expect(await resume.getAttribute("aria-describedby")).toBe("resume-waits");
      release();
      // They land, the page hears of it, and resume is offered: no reload.
      await expect.poll(() => resume.isEnabled(), { timeout: 30_000 }).toBe(true);
      expect(await waits.count()).toBe(0);
      await resume.click();
      await expect
        .poll(() => page.getByTestId("batch-status").textContent(), { timeout: 60_000 })
        .toBe("Status: succeeded");
      // The pictures that landed after the cancel were used: nothing was paid for twice.
      expect(sim.requests.length - before).toBe(2);
      expect(errors).toEqual([]);
    } finally {
      release();
      await browser.close();
    }
  });

  it("says in the page why a resume was refused for calls it had not heard of, then waits for them", async () => {
    const before = sim.requests.length;
    const release = sim.hold();
    const { id, ownerToken } = await newBatch(["Landing unheard"]);
    await until(() => sim.requests.length - before === 1, "the call to reach the provider");
    const { browser, page } = await ownerPage(id, ownerToken, true);
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    // The page's stream ends at once, as though the call had landed: the page then offers a resume the
    // server refuses (a page behind the server, as in a race).
    const events = /\/api\/batches\/[^/]+\/events/;
    await page.route(events, (route) =>
      route.fulfill({ contentType: "text/event-stream", body: 'data: {"kind":"end"}\n\n' }),
    );
    try {
      await page.getByRole("button", { name: "Cancel batch" }).click();
      const resume = page.getByRole("button", { name: "Resume 1 cancelled cell" });
      await expect.poll(() => resume.isEnabled()).toBe(true);
      await page.unroute(events);
      await resume.click();
      // The server's reason, where the page says how a control went; no error thrown in the page.
      await expect
        .poll(() => page.getByTestId("control-message").textContent())
        .toMatch(/^1 image from before the cancel may still be generating\. Resume once it has finished/);
      // The page read the batch again: it waits for the call now, and offers resume once it lands.
      await expect.poll(() => resume.isDisabled()).toBe(true);
      expect(await page.getByTestId("resume-waits").textContent()).toMatch(/^Waiting for 1 image from/);
      release();
      await expect.poll(() => resume.isEnabled(), { timeout: 30_000 }).toBe(true);
      await resume.click();
      await expect
        .poll(() => page.getByTestId("batch-status").textContent(), { timeout: 60_000 })
        .toBe("Status: succeeded");
      expect(sim.requests.length - before).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      release();
      await browser.close();
    }
  });

  it("resumes while the batch runs again for a retry: queued after the current run, nothing paid twice", async () => {
    // With JavaScript the page says what each control did in place; without, on the page the form post
    // is sent back to, in the same words.
    for (const javaScriptEnabled of [true, false]) {
      const before = sim.requests.length;
      const blocked = "Refused every time [sim:moderation]";
      // The refused title answers at once; the other two calls are out at the cancel and land after it.
      let release = sim.hold((prompt) => !prompt.includes("[sim:moderation]"));
      const { id, ownerToken } = await newBatch([blocked, "Landed after the cancel", "Also landed after"]);
      await until(() => sim.requests.length - before === 3, "the three calls to reach the provider");
      await until(
        async () => (await readAs(stack.appUrl, id, ownerToken)).counts.failed === 1,
        "the refusal",
      );
      expect(
        (await post(stack.appUrl, `/api/batches/${id}/cancel`, undefined, bearer(ownerToken))).status,
      ).toBe(200);
      release();
      await callsEnded();
      const { browser, page } = await ownerPage(id, ownerToken, javaScriptEnabled);
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      const status = () => page.getByTestId("batch-status").textContent();
      const message = () =>
        page.getByTestId(javaScriptEnabled ? "control-message" : "form-done").textContent();
      release = sim.hold();
      try {
        // Hydrated (the copy button replaces a link then): the controls answer in the page.
        if (javaScriptEnabled) await page.getByRole("button", { name: "Copy link" }).waitFor();
        // The retry's call is held: the batch runs again, with its two cancelled cells left.
        await page.getByRole("button", { name: "Retry 1 failed cell" }).click();
        await expect.poll(message).toBe("Retrying 1 failed cell.");
        await until(() => sim.requests.length - before === 4, "the retry's call to reach the provider");
        if (!javaScriptEnabled) await page.reload();
        await expect.poll(status).toBe("Status: running");
        // Resume is offered while it runs (no call of theirs is out), and says what it did.
        const resume = page.getByRole("button", { name: "Resume 2 cancelled cells" });
        expect(await resume.isEnabled()).toBe(true);
        await resume.click();
        await expect
          .poll(message)
          .toBe(
            "Queued 2 cancelled cells after the current run: they are made once the cells under way have ended.",
          );
        expect(await status()).toBe("Status: running");
        expect(await resume.count()).toBe(0);
        release();
        // The retry is refused again; the resumed cells are made from the pictures that landed.
        const batch = await settled(stack.appUrl, id);
        if (!javaScriptEnabled) await page.reload();
        await expect.poll(status, { timeout: 60_000 }).toBe("Status: partial");
        expect(batch.cells.map((c) => c.status)).toEqual(["failed", "succeeded", "succeeded"]);
        expect(sim.requests.length - before).toBe(4);
        expect(errors).toEqual([]);
      } finally {
        release();
        await browser.close();
      }
    }
  });

  it("does not hold Resume back for the call of a cancelled new take, which no resume pays again", async () => {
    const before = sim.requests.length;
    let release = sim.hold((prompt) => prompt.includes("Cancelled early"));
    const { id, ownerToken } = await newBatch(["Pictured first", "Cancelled early"]);
    await until(async () => (await readAs(stack.appUrl, id, ownerToken)).counts.succeeded === 1, "a picture");
    await until(() => sim.requests.length - before === 2, "the second call to reach the provider");
    expect(
      (await post(stack.appUrl, `/api/batches/${id}/cancel`, undefined, bearer(ownerToken))).status,
    ).toBe(200);
    release();
    await callsEnded();
    // A new take of the finished picture, cancelled while its call is out: that call may still land.
    release = sim.hold();
    const pick = { cells: [{ promptIndex: 0, model: "gpt-image-1.5" }] };
    expect((await post(stack.appUrl, `/api/batches/${id}/takes`, pick, bearer(ownerToken))).status).toBe(200);
    await until(() => sim.requests.length - before === 3, "the take's call to reach the provider");
    expect(
      (await post(stack.appUrl, `/api/batches/${id}/cancel`, undefined, bearer(ownerToken))).status,
    ).toBe(200);
    const read = await readAs(stack.appUrl, id, ownerToken);
    expect(read).toMatchObject({ status: "cancelled", callsOut: 1, cancelledCallsOut: 0 });
    const { browser, page } = await ownerPage(id, ownerToken, true);
    try {
      // The server would resume the cancelled cell now: the page offers it, waiting for nothing.
      const resume = page.getByRole("button", { name: "Resume 1 cancelled cell" });
      expect(await resume.isEnabled()).toBe(true);
      expect(await page.getByTestId("resume-waits").count()).toBe(0);
      await page.getByRole("button", { name: "Copy link" }).waitFor();
      await resume.click();
      await expect
        .poll(() => page.getByTestId("control-message").textContent())
        .toBe("Resumed 1 cancelled cell.");
      await expect
        .poll(() => page.getByTestId("batch-status").textContent(), { timeout: 60_000 })
        .toBe("Status: succeeded");
      // Made from the picture that landed after the first cancel: no call for it.
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
      // Back on the page at the address the browser used (not the one Next listens on), saying what
      // the resume did, as the page with JavaScript does.
      await page.waitForURL((url) => url.href.startsWith(`${stack.appUrl}/b/${id}?done=`));
      expect(await page.getByTestId("form-done").textContent()).toBe("Resumed 2 cancelled cells.");
      expect(await page.getByTestId("form-notice").count()).toBe(0);
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

  it("tells cells in progress from cells waiting their turn and from a rate limit being waited out", async () => {
    const limited = "Rate limited [sim:429*3]";
    // Every call is held but the rate-limited one's, refused at once: ten cells, eight calls at once.
    const release = sim.hold((prompt) => !prompt.includes("[sim:429"));
    const titles = Array.from({ length: 9 }, (_, i) => `Waiting in line ${i + 1}`);
    const { id, ownerToken } = await newBatch([limited, ...titles]);
    const { browser, page } = await ownerPage(id, ownerToken, true);
    try {
      // The summary counts what is being made and what waits, besides what is done.
      await expect
        .poll(() => page.getByTestId("batch-progress").textContent())
        .toMatch(/^\d in progress · (1 to try again · )?\d waiting (its|their) turn$/);
      const waiting = page.locator("[data-testid=cell][data-status=queued] [data-testid=cell-meta]");
      expect(await waiting.first().textContent()).toBe("waiting its turn");
      // The rate limit is a quiet note of what happens next, not a failure in red.
      const cell = page.locator('[data-testid=cell][data-prompt-index="0"]');
      await expect
        .poll(() => cell.getByTestId("cell-retry-reason").textContent())
        .toMatch(/^(Trying again after|An earlier attempt failed): .*rate limit/i);
      expect(await cell.locator(".text-red-300").count()).toBe(0);
      await page.getByRole("button", { name: "Cancel batch" }).click();
      await expect.poll(() => page.getByTestId("batch-status").textContent()).toBe("Status: cancelled");
      // Nothing is said of work in progress once the batch has ended.
      expect(await page.getByTestId("batch-progress").count()).toBe(0);
    } finally {
      release();
      await browser.close();
    }
    await callsEnded();
  });
});
