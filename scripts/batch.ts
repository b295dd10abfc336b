/**
 * `npm run batch -- batch.json [--wait] [--url http://127.0.0.1:3000] [--json]`: submits a batch file (the
 * seeds' positional array or the named object; `-` reads stdin) to the app's HTTP API, prints the page URL
 * and, with --wait, follows progress and prints the URL matrix. Progress goes to stderr, results to stdout.
 * Exit codes: 0 every cell succeeded (or submitted, without --wait); 1 a cell failed or was cancelled;
 * 2 input rejected, unreadable file, unreachable app or bad usage.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BatchDto } from "@/lib/batches/dto";
import {
  absoluteResults,
  followBatch,
  submitBatch,
  UnreachableError,
  type FieldIssue,
} from "./lib/batch-client";

const USAGE = `usage: npm run batch -- <batch.json | -> [--wait] [--url <app url>] [--json]

  <batch.json>  the seeds' array [prompts, models, style, template, font, context, extraPrompt]
                or {prompts, models, style, template, font, context?, extraPrompt?, ...}; - reads stdin
  --wait        follow progress until every cell is done, then print the URL matrix
  --url <url>   the app (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --json        machine-readable output on stdout
exit: 0 all succeeded · 1 some cell failed or was cancelled · 2 rejected input, unreadable file, no app`;

class UsageError extends Error {}

interface Args {
  file: string;
  wait: boolean;
  json: boolean;
  url: string;
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): Args {
  let file: string | undefined;
  let url = `http://127.0.0.1:${env.PORT || 3000}`;
  let wait = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--wait") wait = true;
    else if (arg === "--json") json = true;
    else if (arg === "--url" || arg.startsWith("--url=")) {
      const value = arg === "--url" ? argv[++i] : arg.slice(6);
      if (!value) throw new UsageError("--url needs a value");
      url = value;
    } else if (arg === "-h" || arg === "--help") throw new UsageError("");
    else if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option ${arg}`);
    else if (file !== undefined)
      throw new UsageError(`unexpected argument ${arg} (one batch file at a time)`);
    else file = arg;
  }
  if (file === undefined) throw new UsageError("name a batch file (or - for stdin)");
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error();
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
  }
  return { file, wait, json, url };
}

class InputError extends Error {}

async function readInput(file: string): Promise<unknown> {
  const name = file === "-" ? "stdin" : file;
  let text: string;
  try {
    if (file === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      text = Buffer.concat(chunks).toString("utf8");
    } else text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new InputError(`cannot read ${name}: ${why}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InputError(`${name} is not valid JSON: ${(err as Error).message}`);
  }
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** One progress line: bar, done/total and counts per state. */
export function progressLine(
  batch: Pick<BatchDto, "counts" | "status">,
  elapsedMs: number,
  width = 24,
): string {
  const c = batch.counts;
  const filled = c.total === 0 ? width : Math.round((c.done / c.total) * width);
  const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
  const parts = [`${c.succeeded} succeeded`, `${c.failed} failed`, `${c.running + c.retrying} running`];
  parts.push(`${c.queued} queued`);
  if (c.cancelled > 0) parts.push(`${c.cancelled} cancelled`);
  const secs = (elapsedMs / 1000).toFixed(1);
  return `[${bar}] ${c.done}/${c.total}  ${parts.join(" · ")}  ${batch.status} ${secs}s`;
}

function progressReporter(json: boolean) {
  const tty = process.stderr.isTTY === true && !json;
  const started = Date.now();
  let lastKey = "";
  let lastAt = 0;
  return {
    update(batch: BatchDto) {
      if (json) return;
      const line = progressLine(batch, Date.now() - started);
      if (tty) return void process.stderr.write(`\r\x1b[2K${line}`);
      // Plain lines (logs, CI): one per finished cell or status change, else at most one every 2 s.
      const key = `${batch.counts.done}/${batch.status}`;
      if (key === lastKey && Date.now() - lastAt < 2000) return;
      err(line);
      [lastKey, lastAt] = [key, Date.now()];
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}

function printMatrix(baseUrl: string, batch: BatchDto): void {
  const results = absoluteResults(baseUrl, batch);
  out(["#", "prompt", ...batch.models].join("\t"));
  batch.prompts.forEach((prompt, i) => {
    const cells = batch.models.map((model, m) => {
      const url = results[i]?.[m];
      if (url) return url;
      const cell = batch.cells.find((c) => c.promptIndex === i && c.model === model);
      return (cell?.status ?? "missing").toUpperCase();
    });
    out([String(i + 1), prompt, ...cells].join("\t"));
  });
  const failed = batch.cells.filter((c) => c.status === "failed" || c.status === "cancelled");
  for (const c of failed)
    err(`${c.status}: #${c.promptIndex + 1} × ${c.model}: ${c.error ?? "no reason recorded"}`);
}

function formatIssues(issues: FieldIssue[]): string[] {
  return issues.map((i) => `  ${i.path}: ${i.message}`);
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) err(`batch: ${e.message}`);
    err(USAGE);
    return 2;
  }
  try {
    const body = await readInput(args.file);
    const submitted = await submitBatch(args.url, body);
    if (!submitted.ok) {
      if (args.json) out(JSON.stringify({ error: submitted.error, issues: submitted.issues }));
      err(`batch: rejected (HTTP ${submitted.status}): ${submitted.error}`);
      for (const line of formatIssues(submitted.issues)) err(line);
      return 2;
    }
    // The page URL as reachable from here (the server only knows the host name it was asked by).
    const { id, ownerToken } = submitted;
    const url = new URL(`/b/${id}`, args.url).toString();
    for (const notice of submitted.batch.notices) err(`note: ${notice}`);
    if (!args.json) out(url);
    err(`batch ${id}: ${submitted.batch.counts.total} images; owner token (cancel/retry): ${ownerToken}`);
    if (!args.wait) {
      if (args.json) out(JSON.stringify({ id, url, ownerToken, status: submitted.batch.status }));
      return 0;
    }
    const progress = progressReporter(args.json);
    const stop = new AbortController();
    process.once("SIGINT", () => stop.abort());
    let final: BatchDto;
    try {
      final = await followBatch(args.url, id, { onUpdate: progress.update, signal: stop.signal });
    } finally {
      progress.end();
    }
    const allOk = final.counts.succeeded === final.counts.total;
    if (args.json) {
      const results = absoluteResults(args.url, final);
      out(JSON.stringify({ id, url, ownerToken, status: final.status, counts: final.counts, results }));
    } else printMatrix(args.url, final);
    return allOk ? 0 : 1;
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      err("batch: stopped following; the batch keeps running on the server");
      return 130;
    }
    if (e instanceof InputError || e instanceof UnreachableError) {
      err(`batch: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      err(`batch: ${(e as Error).message}`);
      process.exit(2);
    },
  );
}
