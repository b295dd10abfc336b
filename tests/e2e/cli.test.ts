/**
 * `npm run batch` as a user runs it (a child process) against the whole stack: submit and follow to the URL
 * matrix, and the exit codes for failed cells, rejected input, unreadable files, no app and bad usage; then
 * the commands that manage a batch afterwards (status, wait, cancel, resume, retry, resend, restyle) with
 * the owner token the CLI kept, and their refusals.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "@/lib/simulator";
import { fetchBatch, submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, settled, until } from "../fixtures/batch-helpers";
import { freePort } from "../helpers/ports";
import { startStack, type Stack } from "../helpers/stack";

const root = path.resolve(import.meta.dirname, "../..");
const fixture = path.join(root, "tests/fixtures/batch.json");

const ADMIN_TOKEN = "cli-test-admin-token-0123456789";

let sim: Simulator;
let stack: Stack;
/** The CLI's token store for this file's runs (XDG_CONFIG_HOME), and an empty one for a stranger. */
let config: string;
let emptyConfig: string;

beforeAll(async () => {
  config = mkdtempSync(path.join(os.tmpdir(), "cli-config-"));
  emptyConfig = mkdtempSync(path.join(os.tmpdir(), "cli-config-empty-"));
  sim = await startSimulator({ port: 0, profile: { latencyMs: [50, 200], timeScale: 1 } });
  // Two attempts per cell, so "[sim:500*2]" fails a cell for one round and its retry succeeds.
  stack = await startStack({ PROVIDER_SIMULATOR_URL: sim.url, CELL_RETRIES: "1", ADMIN_TOKEN });
});

afterAll(async () => {
  await stack?.stop();
  await sim?.close();
  for (const dir of [config, emptyConfig]) if (dir) rmSync(dir, { recursive: true, force: true });
});

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run batch -- <args>`; `onStderr` sees what it has written to stderr so far, as it comes. */
function cli(
  args: string[],
  stdin?: string,
  env: Record<string, string> = {},
  onStderr?: (stderr: string) => void,
): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: config, ...env };
  // Only the tokens a test hands over: none from the environment vitest runs in.
  if (!("THUMB_OWNER_TOKEN" in env)) delete childEnv.THUMB_OWNER_TOKEN;
  if (!("ADMIN_TOKEN" in env)) delete childEnv.ADMIN_TOKEN;
  return new Promise((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/batch.ts", ...args], {
      cwd: root,
      env: childEnv,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      onStderr?.(stderr);
    });
    child.stdin.end(stdin ?? "");
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run batch", () => {
  it("submits the seeds' batch.json, follows it and prints the 5 × 2 URL matrix (exit 0)", async () => {
    const r = await cli([fixture, "--wait", "--url", stack.appUrl]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^${stack.appUrl}/b/[A-Za-z0-9_-]{22}$`));
    expect(lines[1]).toBe("#\tprompt\tgemini-3-pro-image\tgpt-image-1.5");
    const rows = lines.slice(2).map((l) => l.split("\t"));
    expect(rows).toHaveLength(5);
    for (const row of rows)
      for (const url of row.slice(2)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+\.jpg/);
    const img = await fetch(rows[0]?.[2] as string);
    expect([img.status, img.headers.get("content-type")]).toEqual([200, "image/jpeg"]);
    expect(r.stderr).toMatch(/note: gpt-image-1 was retired/);
    expect(r.stderr).toMatch(/10\/10 +10 succeeded/);
  });

  it("exits 1 when a cell fails, reading the batch from stdin with --json", async () => {
    const body = {
      ...BASE_REQUEST,
      prompts: ["Fine", "Blocked [sim:moderation]"],
      models: ["gpt-image-1.5"],
    };
    const r = await cli(["-", "--wait", "--json", "--url", stack.appUrl], JSON.stringify(body));
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as { status: string; results: (string | null)[][] };
    expect(out.status).toBe("partial");
    expect(out.results[1]).toEqual([null]);
    expect(out.results[0]?.[0]).toMatch(/^http:\/\//);
  });

  it("exits 2 with each field issue on a readable line when the input is rejected", async () => {
    const body = { ...BASE_REQUEST, prompts: ["x".repeat(240)], models: ["nope"] };
    const r = await cli(["-", "--url", stack.appUrl], JSON.stringify(body));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("prompts.0: title 1 is 240 characters; the limit is 200");
    expect(r.stderr).toContain('models.0: unknown model "nope"');
  });

  it("--split submits a file over the images-per-batch limit as batches of whole titles, in order", async () => {
    // 26 titles × 2 models = 52 images; the app takes 50 per batch: 25 titles, then 1.
    const prompts = Array.from({ length: 26 }, (_, i) => `Split title ${i + 1}`);
    const body = JSON.stringify([
      prompts,
      ["gpt-image-1-mini", "gemini-3-pro-image"],
      "neon",
      "bottom-bar",
      "inter",
    ]);
    const refused = await cli(["-", "--url", stack.appUrl], body);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("prompts: 26 titles × 2 models = 52 images; the limit is 50 per batch");

    const r = await cli(["-", "--split", "--wait", "--url", stack.appUrl], body);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("submitting 2 batches of up to 25 titles");
    const lines = r.stdout.trim().split("\n");
    const urls = lines.slice(0, 2);
    for (const url of urls) expect(url).toMatch(new RegExp(`^${stack.appUrl}/b/[A-Za-z0-9_-]{22}$`));
    // One table for the whole file, numbered as in it.
    expect(lines[2]).toBe("#\tprompt\tgpt-image-1-mini\tgemini-3-pro-image");
    const rows = lines.slice(3).map((l) => l.split("\t"));
    expect(rows.map((row) => row.slice(0, 2))).toEqual(prompts.map((p, i) => [String(i + 1), p]));
    for (const row of rows)
      for (const url of row.slice(2)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+\.jpg/);
    const [first, second] = await Promise.all(urls.map((u) => fetchBatch(stack.appUrl, u.split("/b/")[1]!)));
    expect([first?.prompts.length, second?.prompts.length]).toEqual([25, 1]);
    expect(second?.prompts).toEqual(["Split title 26"]);
    // Both are this machine's to manage, like a single submitted batch.
    const status = await cli(["status", urls[1]!, "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: "succeeded" });

    // A budget is the whole file's: --split does not hand it to every batch.
    const named = {
      prompts,
      models: ["gpt-image-1-mini", "gemini-3-pro-image"],
      style: "neon",
      template: "bottom-bar",
      font: "inter",
    };
    const budget = await cli(
      ["-", "--split", "--url", stack.appUrl],
      JSON.stringify({ ...named, budgetUsd: 5 }),
    );
    expect(budget.code).toBe(2);
    expect(budget.stderr).toContain("--split would give every batch the file's whole budgetUsd");
    // A file refused for anything besides its size is not split.
    const bad = await cli(
      ["-", "--split", "--url", stack.appUrl],
      JSON.stringify([
        [...prompts, "x".repeat(240)],
        ["gpt-image-1-mini", "gemini-3-pro-image"],
        "neon",
        "bottom-bar",
        "inter",
      ]),
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("prompts.26: title 27 is 240 characters; the limit is 200");
    expect(bad.stdout).toBe("");
  });

  it("exits 2 for a missing file, invalid JSON, no app and unknown flags", async () => {
    const missing = await cli(["no-such-batch.json", "--url", stack.appUrl]);
    expect([missing.code, missing.stderr.trim()]).toEqual([
      2,
      "batch: cannot read no-such-batch.json: no such file",
    ]);
    const invalid = await cli(["-", "--url", stack.appUrl], "{not json");
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/stdin is not valid JSON/);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = await cli([fixture, "--url", nobody]);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain(`cannot reach the app at ${nobody} (ECONNREFUSED)`);
    const flag = await cli([fixture, "--fast"]);
    expect(flag.code).toBe(2);
    // The one line and where the help is: the whole usage would scroll it off the screen.
    expect(flag.stderr.trim().split("\n")).toEqual([
      "batch: unknown option --fast",
      "batch: npm run batch -- --help lists the commands and options",
    ]);
  });
});

const storeFile = () => path.join(config, "thumbnail-studio", "owner-tokens.json");

function storedToken(id: string): string | undefined {
  const store = JSON.parse(readFileSync(storeFile(), "utf8")) as {
    tokens: Record<string, { token: string }>;
  };
  return store.tokens[`${stack.appUrl} ${id}`]?.token;
}

/** Submits through the CLI (no --wait) and returns the batch id from the page URL it prints. */
async function cliSubmit(prompts: string[]): Promise<{ id: string; page: string; r: CliResult }> {
  const body = { ...BASE_REQUEST, prompts, models: ["gpt-image-1.5"] };
  const r = await cli(["-", "--url", stack.appUrl], JSON.stringify(body));
  expect(r.code, r.stderr).toBe(0);
  const page = r.stdout.trim();
  return { id: page.split("/").pop() as string, page, r };
}

const matrixRows = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter((l) => /^\d+\t/.test(l))
    .map((l) => l.split("\t"));

describe("npm run batch -- list", () => {
  it("lists batches newest first, marks the ones this machine can manage, filters and pages", async () => {
    const mine = await cliSubmit(["Listed, mine\twith a tab", "Listed, two"]);
    const theirs = await submitBatch(stack.appUrl, { ...BASE_REQUEST, prompts: ["Listed, someone else's"] });
    if (!theirs.ok) throw new Error(theirs.error);
    await Promise.all([settled(stack.appUrl, mine.id), settled(stack.appUrl, theirs.id)]);

    const r = await cli(["list", "--url", stack.appUrl]);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout
      .trim()
      .split("\n")
      .map((l) => l.split("\t"));
    expect(header).toEqual(["id", "created", "status", "succeeded", "size", "yours", "title", "page"]);
    expect(rows.slice(0, 2)).toEqual([
      [
        theirs.id,
        expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        "succeeded",
        "1/1",
        "1×1",
        "",
        "Listed, someone else's",
        `${stack.appUrl}/b/${theirs.id}`,
      ],
      [
        mine.id,
        expect.any(String),
        "succeeded",
        "2/2",
        "2×1",
        "yes",
        "Listed, mine with a tab (+1 more)",
        mine.page,
      ],
    ]);
    expect(r.stderr).toMatch(/^\d+ batches, newest first\n$/);

    const one = await cli(["list", "--limit", "1", "--json", "--url", stack.appUrl]);
    expect(one.code, one.stderr).toBe(0);
    const page = JSON.parse(one.stdout) as {
      batches: { id: string; owned: boolean; url: string }[];
      more: boolean;
    };
    expect(page).toMatchObject({ more: true, batches: [{ id: theirs.id, owned: false }] });
    const human = await cli(["list", "--limit", "1", "--url", stack.appUrl]);
    expect(human.stderr).toBe("1 batch, newest first; older ones: --limit 2\n");

    // Paged through the API (100 at most per request) up to --limit; a status filter applies to all.
    const all = await cli([
      "list",
      "--status",
      "succeeded",
      "--limit",
      "1000",
      "--json",
      "--url",
      stack.appUrl,
    ]);
    const listed = (JSON.parse(all.stdout) as { batches: { id: string; status: string }[] }).batches;
    expect(listed.map((b) => b.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(new Set(listed.map((b) => b.status))).toEqual(new Set(["succeeded"]));
    const none = await cli(["list", "--status", "queued", "--url", stack.appUrl]);
    expect([none.code, none.stdout, none.stderr]).toEqual([0, "", `no queued batches at ${stack.appUrl}\n`]);

    // --search finds batches by text in any of their titles.
    const found = await cli(["list", "--search", "LISTED, TWO", "--json", "--url", stack.appUrl]);
    expect((JSON.parse(found.stdout) as { batches: { id: string }[] }).batches.map((b) => b.id)).toEqual([
      mine.id,
    ]);
    const nothing = await cli(["list", "--search", "no such words", "--url", stack.appUrl]);
    expect(nothing.stderr).toBe(`no batches with a title containing "no such words" at ${stack.appUrl}\n`);

    const bad = await cli(["list", "--status", "done", "--url", stack.appUrl]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^batch: cannot list batches \(HTTP 400\): Invalid batch list query\.\n  status: status must be one of/,
    );
  });
});

describe("npm run batch <command> <batch>", () => {
  it("keeps the owner token unprinted; status, wait and restyle find the batch by its page URL", async () => {
    const { id, page, r } = await cliSubmit(["Status, one", "Status, two"]);
    const token = storedToken(id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(storeFile()).mode & 0o777).toBe(0o600);
    expect(r.stdout + r.stderr).not.toContain(token);

    // No --url: the page URL's origin is the app.
    const waited = await cli(["wait", page]);
    expect(waited.code, waited.stderr).toBe(0);
    expect(matrixRows(waited.stdout).map((row) => row.slice(2).every((u) => u.startsWith("http")))).toEqual([
      true,
      true,
    ]);
    const status = await cli(["status", id, "--url", stack.appUrl]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout.split("\n").slice(0, 3)).toEqual([
      page,
      "succeeded: 2/2 done · 2 succeeded · 0 failed · 0 running · 0 queued",
      "#\tprompt\tgpt-image-1.5",
    ]);
    const json = JSON.parse((await cli(["status", page, "--json"])).stdout) as Record<string, unknown>;
    expect([json.id, json.status, json.settled]).toEqual([id, "succeeded", true]);
    expect((json.results as string[][])[1]?.[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+\.jpg/);

    // Restyle: a new batch composed from the stored pictures, not one provider call; its token is kept.
    const calls = sim.requests.length;
    const restyle = await cli(
      [
        "restyle",
        page,
        "--template",
        "left-panel",
        "--canvas",
        "1280x720",
        "--titles",
        "-",
        "--wait",
        "--json",
      ],
      "Status, one\nStatus, 2\n",
    );
    expect(restyle.code, restyle.stderr).toBe(0);
    const made = JSON.parse(restyle.stdout) as {
      id: string;
      status: string;
      restyledFrom: string;
      ownerToken: string;
    };
    expect([made.id === id, made.status, made.restyledFrom]).toEqual([false, "succeeded", id]);
    const restyled = await fetchBatch(stack.appUrl, made.id);
    expect([restyled.template, restyled.canvas, restyled.prompts, restyled.counts.succeeded]).toEqual([
      "left-panel",
      "youtube",
      ["Status, one", "Status, 2"],
      2,
    ]);
    expect(sim.requests.length).toBe(calls);
    expect(storedToken(made.id)).toBe(made.ownerToken);
    // Nothing left to cancel in a finished batch: refused, and the CLI says why (exit 2).
    const cancel = await cli(["cancel", made.id, "--url", stack.appUrl]);
    expect([cancel.code, cancel.stderr.trim()]).toEqual([
      2,
      `batch: cannot cancel batch ${made.id} (HTTP 409): This batch has already finished (succeeded): there is nothing left to cancel, and nothing was changed.`,
    ]);

    // A refusal prints the server's reason on one line, exit 2.
    const resend = await cli(["resend", id, "--url", stack.appUrl]);
    expect([resend.code, resend.stderr.trim()]).toEqual([
      2,
      `batch: cannot resend batch ${id} (HTTP 409): This batch has already started.`,
    ]);
    const invalid = await cli(["restyle", id, "--url", stack.appUrl, "--template", "nope"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(
      new RegExp(
        `^batch: cannot restyle batch ${id} \\(HTTP 400\\): .+\n  template: unknown template "nope"`,
      ),
    );
  });

  it("download --wait writes the batch's ZIP (images and manifest), never over a file without --force", async () => {
    const { id, page } = await cliSubmit(["Download, one", "Download, two"]);
    const dir = mkdtempSync(path.join(os.tmpdir(), "cli-download-"));
    try {
      const got = await cli(["download", page, "--wait", "--out", `${dir}/`]);
      expect(got.code, got.stderr).toBe(0);
      const file = got.stdout.trim();
      expect(path.dirname(file)).toBe(dir);
      expect(got.stderr).toMatch(/^saved 2 images and manifest\.json \(\d+ kB\)$/m);
      const entries = unzipSync(readFileSync(file));
      const names = Object.keys(entries);
      expect(names).toContain("manifest.json");
      const jpegs = names.filter((n) => n.endsWith(".jpg"));
      expect(jpegs).toHaveLength(2);
      for (const n of jpegs) expect([...entries[n]!.subarray(0, 2)]).toEqual([0xff, 0xd8]);
      expect(readdirSync(dir)).toEqual([path.basename(file)]);

      const again = await cli(["download", id, "--url", stack.appUrl, "--out", file]);
      expect([again.code, again.stderr.trim()]).toEqual([
        2,
        `batch: ${file} exists; pass --force to replace it`,
      ]);
      writeFileSync(file, "old");
      const forced = await cli(["download", id, "--url", stack.appUrl, "--out", file, "--force", "--json"]);
      expect(forced.code, forced.stderr).toBe(0);
      expect(JSON.parse(forced.stdout)).toMatchObject({
        id,
        file,
        images: 2,
        missing: 0,
        status: "succeeded",
      });
      expect(statSync(file).size).toBeGreaterThan(1000);

      const nowhere = await cli([
        "download",
        id,
        "--url",
        stack.appUrl,
        "--out",
        path.join(dir, "no/such/x.zip"),
      ]);
      expect(nowhere.code).toBe(2);
      expect(nowhere.stderr).toContain(`no folder ${path.join(dir, "no/such")}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("cancel, status, resume (refused while calls from before the cancel run; --wait waits them out), then succeeded", async () => {
    // The three calls stay out until resume --wait says it is waiting for them.
    const release = sim.hold((prompt) => prompt.includes("Slow"));
    try {
      const { id } = await cliSubmit(["Slow one", "Slow two", "Slow three"]);
      await until(
        () => sim.requests.filter((q) => q.outcome === "pending").length === 3,
        "three calls in flight",
      );
      const cancel = await cli(["cancel", id, "--url", stack.appUrl]);
      expect(cancel.code, cancel.stderr).toBe(0);
      expect(cancel.stderr).toContain(
        "cancelled: 0 succeeded · 0 failed · 0 running · 0 queued · 3 cancelled",
      );
      // Cancelled already is what a second cancel asks for: it says so, exit 0 (the app answers 409).
      const again = await cli(["cancel", id, "--url", stack.appUrl]);
      expect([again.code, again.stderr.trim()]).toEqual([
        0,
        `batch ${id}: already cancelled; nothing was changed`,
      ]);
      const status = JSON.parse((await cli(["status", id, "--url", stack.appUrl, "--json"])).stdout) as {
        status: string;
        cells: { status: string }[];
      };
      expect([status.status, ...status.cells.map((c) => c.status)]).toEqual([
        "cancelled",
        "cancelled",
        "cancelled",
        "cancelled",
      ]);
      const early = await cli(["resume", id, "--url", stack.appUrl]);
      expect(early.code).toBe(2);
      expect(early.stderr.trim()).toMatch(
        new RegExp(
          `^batch: cannot resume batch ${id} \\(HTTP 409\\): 3 images from before the cancel may still be generating`,
        ),
      );

      // --wait waits out those calls (the server's Retry-After) instead of refusing, then resumes.
      const calls = sim.requests.length;
      const resumed = await cli(["resume", id, "--url", stack.appUrl, "--wait"], undefined, {}, (stderr) => {
        if (stderr.includes("Waiting (about")) release();
      });
      expect(resumed.stderr).toMatch(
        new RegExp(
          `^batch ${id}: 3 images from before the cancel may still be generating.+ Waiting \\(about \\d+ s\\)…$`,
          "m",
        ),
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`batch ${id}: resuming 3 cancelled cells`);
      expect(matrixRows(resumed.stdout).map((row) => row[2]?.startsWith("http"))).toEqual([true, true, true]);
      // The pictures paid for before the cancel were reused: no new call.
      expect(sim.requests.length).toBe(calls);
      expect((await cli(["wait", id, "--url", stack.appUrl])).code).toBe(0);
    } finally {
      release();
    }
  });

  it("retry --wait runs a failed cell again and exits 0 once it succeeds", async () => {
    const body = {
      ...BASE_REQUEST,
      prompts: ["Fails one round [sim:500*2]", "Fine"],
      models: ["gpt-image-1.5"],
    };
    const first = await cli(["-", "--wait", "--json", "--url", stack.appUrl], JSON.stringify(body));
    expect(first.code, first.stderr).toBe(1);
    const { id, status } = JSON.parse(first.stdout) as { id: string; status: string };
    expect(status).toBe("partial");
    const retry = await cli(["retry", `${stack.appUrl}/b/${id}`, "--wait"]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stderr).toContain(`batch ${id}: retrying 1 failed cell`);
    expect(matrixRows(retry.stdout).map((row) => row[2]?.startsWith("http"))).toEqual([true, true]);
    const again = await cli(["retry", id, "--url", stack.appUrl]);
    expect([again.code, again.stderr.trim()]).toEqual([
      2,
      `batch: cannot retry batch ${id} (HTTP 409): This batch has no failed cells to retry.`,
    ]);
  });

  it("take --wait makes new pictures of the named cells and prints the matrix with their new URLs", async () => {
    const body = { ...BASE_REQUEST, prompts: ["Again please", "As it is"], models: ["gpt-image-1.5"] };
    const first = await cli(["-", "--wait", "--json", "--url", stack.appUrl], JSON.stringify(body));
    expect(first.code, first.stderr).toBe(0);
    const { id } = JSON.parse(first.stdout) as { id: string };
    const before = matrixRows((await cli(["status", id, "--url", stack.appUrl])).stdout);
    const take = await cli(["take", `${stack.appUrl}/b/${id}`, "--cell", "1:gpt-image-1.5", "--wait"]);
    expect(take.code, take.stderr).toBe(0);
    expect(take.stderr).toContain(`batch ${id}: 1 new take under way`);
    const after = matrixRows(take.stdout);
    expect(after[0]?.[2]).toMatch(/-t1-[A-Za-z0-9_-]{8,64}\.jpg/);
    expect(after[0]?.[2]).not.toBe(before[0]?.[2]);
    expect(after[1]?.[2]).toBe(before[1]?.[2]);
    const unknown = await cli(["take", id, "--url", stack.appUrl, "--cell", "3:gpt-image-1.5"]);
    // Checked against the batch before asking for anything, in --cell's own terms.
    expect([unknown.code, unknown.stderr.trim()]).toEqual([
      2,
      `batch: --cell 3:gpt-image-1.5: batch ${id} has no title 3; its titles are 1–2, as its page numbers them`,
    ]);
  });

  it("without a token says how to pass one (403); the env's tokens and ADMIN_TOKEN work; 404 and no app", async () => {
    const created = await submitBatch(stack.appUrl, { ...BASE_REQUEST, prompts: ["Made through the API"] });
    if (!created.ok) throw new Error(JSON.stringify(created));
    const { id, ownerToken } = created;
    await settled(stack.appUrl, id);
    const url = ["--url", stack.appUrl];
    const stranger = { XDG_CONFIG_HOME: emptyConfig };
    const none = await cli(["cancel", id, ...url], undefined, stranger);
    expect([none.code, none.stderr.trim()]).toEqual([
      2,
      `batch: cannot cancel batch ${id}: no owner token for it here; pass --token <ownerToken> or set THUMB_OWNER_TOKEN (an admin: ADMIN_TOKEN)`,
    ]);
    const wrong = await cli(["cancel", id, ...url, "--token", "not-the-token"], undefined, stranger);
    expect([wrong.code, wrong.stderr.trim()]).toEqual([
      2,
      `batch: cannot cancel batch ${id}: the app refused the token from --token (Only the person who created this batch can change it (owner cookie or bearer token).)`,
    ]);
    // Accepted tokens get past the owner check to the control's own answer.
    const owner = await cli(["cancel", id, ...url], undefined, {
      ...stranger,
      THUMB_OWNER_TOKEN: ownerToken,
    });
    expect([owner.code, owner.stderr.trim()]).toEqual([
      2,
      `batch: cannot cancel batch ${id} (HTTP 409): This batch has already finished (succeeded): there is nothing left to cancel, and nothing was changed.`,
    ]);
    const admin = await cli(["resume", id, ...url], undefined, { ...stranger, ADMIN_TOKEN });
    expect([admin.code, admin.stderr.trim()]).toEqual([
      2,
      `batch: cannot resume batch ${id} (HTTP 409): This batch has no cancelled cells to resume.`,
    ]);

    const unknown = "Nx00000000000000000000";
    for (const command of ["status", "wait", "cancel"]) {
      const r = await cli([command, unknown, ...url], undefined, { ADMIN_TOKEN });
      expect([command, r.code, r.stderr.trim()]).toEqual([
        command,
        2,
        `batch: no batch ${unknown} at ${stack.appUrl}`,
      ]);
    }
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const down = await cli(["wait", `${nobody}/b/${id}`]);
    expect([down.code, down.stderr.trim()]).toEqual([
      2,
      `batch: cannot reach the app at ${nobody} (ECONNREFUSED)`,
    ]);
    const typo = await cli(["stauts", id]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^batch: unknown command "stauts"/);
  });
});
