/**
 * `npm run batch -- batch.json [--wait] [--url http://127.0.0.1:3000] [--json]`: submits a batch file (the
 * seeds' positional array or the named object; `-` reads stdin) to the app's HTTP API, prints the page URL
 * and, with --wait, follows progress and prints the URL matrix. Progress goes to stderr, results to stdout
 * (with --json, a failure too: one {error, issues} object, the exit code as below).
 * The owner token the app returns is kept in the user's token store (scripts/lib/token-store.ts) for the
 * commands that manage a batch afterwards: status, wait, cancel, retry, resume, resend, restyle, take, switch; `list`
 * shows the app's batches.
 * Exit codes: 0 every cell succeeded (or submitted / changed, without waiting); 1 a followed batch ended
 * with a failed or cancelled cell; 2 bad usage, rejected input or request, unreadable file, unreachable app.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { passwordRefusal, submitBatch, UnreachableError } from "./lib/batch-client";
import { parseArgs, UsageError, type SubmitArgs } from "./lib/cli-args";
import { CliError, readText, rememberToken, runBatchCommand } from "./lib/cli-commands";
import { runList } from "./lib/cli-list";
import { planSplit, type SplitPlan } from "./lib/cli-split";
import { fileTitleNumbers, rowNumbers, titleRange } from "./lib/cli-titles";
import type { BatchDto } from "@/lib/batches/dto";
import { plural } from "@/lib/format";
import {
  batchJson,
  err,
  exitWhenFlushed,
  failed,
  follow,
  followedExit,
  formatIssues,
  out,
  printMatrix,
} from "./lib/cli-output";
import { TokenStore, type Env } from "./lib/token-store";

export const USAGE = `usage: npm run batch -- <batch.json | -> [--wait] [--split] [--url <app url>] [--json]
       npm run batch -- <command> <batch id | page URL> [options]

  <batch.json>  the seeds' array [prompts, models, style, template, font, context, extraPrompt]
                or {prompts, models, style, template, font, context?, extraPrompt?, ...}; - reads stdin
                (a file named like a command: ./status)
commands:
  list          the app's batches, newest first, marking those this machine can manage
                [--status <queued | running | succeeded | partial | failed | cancelled>] [--limit <1–1000, 20>]
                [--search <text one of its titles contains>]
  status <id>   the batch's state, and its URL matrix once finished
  wait <id>     follow the batch until every cell is done, then print the URL matrix
  download <id> its finished images and manifest.json as a ZIP [--wait] [--out <file | folder>] [--force]
  cancel <id>   stop the unfinished cells                                    (owner)
  retry <id>    run the failed cells again [--wait]                          (owner)
  resume <id>   run the cancelled cells again [--wait]                       (owner)
                (a running batch's run makes them after the cells under way; --wait also waits
                out calls from before the cancel instead of refusing)
  resend <id>   send a batch no run has started to the engine again [--wait] (owner)
  restyle <id>  a new batch from the same pictures, no provider calls [--wait] (owner)
                [--template <id>] [--font <id>] [--canvas <id | WxH, e.g. 1280x720>]
                [--titles <file | ->]  every title of the batch, one per line, in order
  take <id>     new pictures of finished cells (paid calls) [--wait]          (owner)
                --cell <title number>:<model>, repeated or comma-separated (e.g. --cell 2:gpt-image-1.5);
                titles are numbered as in the batch file for a batch submitted from this machine
                (blank titles counted, --split parts keep the file's numbers), else as its page numbers
                them; a retired model id (gpt-image-1, …) means its successor, as in batch files;
                prints each cell's title and the price first; --dry-run prints them and asks for nothing
  switch <id>   finished cells show one of their other takes instead; no     (owner)
                provider calls; --cell as for take, <title>:<model>@<n> for other take n (1–4), most
                recently shown first (default 1: at first the picture their last take replaced;
                switching back is @1 again)
options:
  --wait          follow progress until every cell is done, then print the URL matrix
  --split         a file over the app's images-per-batch limit becomes several batches of whole
                  titles (in order; one URL per line; with --wait one matrix)
                  (matrices number titles as in the file, blank ones counted; a UTF-8 BOM is ignored)
  --url <url>     the app (default: the page URL's origin, else http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --json          machine-readable output on stdout; a failure prints {error, issues} there
  --token <t>     owner token for owner commands; else $THUMB_OWNER_TOKEN, the token saved when this
                  machine submitted the batch, or $ADMIN_TOKEN
env:
  STUDIO_PASSWORD the app's studio password, sent (X-Studio-Password) with submit, restyle, take, switch and list
exit: 0 done (all succeeded when followed) · 1 a followed batch has failed or cancelled cells
      2 bad usage, rejected input or request, unreadable file, no app`;

async function readInput(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`${file === "-" ? "stdin" : file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The blank titles the app leaves out, named once: the matrix and --cell keep the file's numbers. */
function noteBlanks(numbers: readonly number[] | null): void {
  const last = numbers?.[numbers.length - 1];
  if (!numbers || last === undefined || last === numbers.length) return;
  const kept = new Set(numbers);
  const blank = Array.from({ length: last }, (_, i) => i + 1).filter((n) => !kept.has(n));
  const shown = blank.slice(0, 10).join(", ") + (blank.length > 10 ? ", …" : "");
  err(
    `note: blank ${blank.length === 1 ? "title" : "titles"} ${shown} left out; ` +
      "the matrix and take/switch --cell number the titles as in the file",
  );
}

async function submit(args: SubmitArgs, env: Env): Promise<number> {
  const body = await readInput(args.file);
  // Row i of what the app makes is title numbers[i] of the file (blank titles are dropped).
  const numbers = fileTitleNumbers(body);
  const submitted = await submitBatch(args.url, body, { studioPassword: env.STUDIO_PASSWORD });
  if (!submitted.ok && args.split && submitted.status === 400) {
    const plan = planSplit(body, submitted.issues);
    if (plan && !plan.ok) {
      failed(args.json, plan.error);
      return 2;
    }
    if (plan) return submitParts(args, env, plan, numbers);
  }
  if (!submitted.ok) {
    if (args.json) out(JSON.stringify({ error: submitted.error, issues: submitted.issues }));
    if (submitted.status === 401) {
      err(`batch: ${passwordRefusal(env.STUDIO_PASSWORD)}`);
      return 2;
    }
    err(`batch: rejected (HTTP ${submitted.status}): ${submitted.error}`);
    for (const line of formatIssues(submitted.issues)) err(line);
    return 2;
  }
  // The page URL as reachable from here (the server only knows the host name it was asked by).
  const { id, ownerToken } = submitted;
  const url = new URL(`/b/${id}`, args.url).toString();
  const rows = submitted.batch.prompts.length;
  // Kept with the token so later commands (take --cell, status, wait) number the rows the same way.
  const range = numbers?.length === rows ? titleRange(numbers) : undefined;
  rememberToken(new TokenStore(env), args.url, id, ownerToken, range);
  for (const notice of submitted.batch.notices) err(`note: ${notice}`);
  if (range) noteBlanks(numbers);
  if (!args.json) out(url);
  err(
    `batch ${id}: ${plural(submitted.batch.counts.total, "image")}; owner token saved (npm run batch -- cancel ${id})`,
  );
  if (!args.wait) {
    if (args.json) out(JSON.stringify({ id, url, ownerToken, status: submitted.batch.status }));
    return 0;
  }
  const final = await follow(args.url, id, args.json);
  if (args.json) {
    const { status, counts, results } = batchJson(args.url, final);
    out(JSON.stringify({ id, url, ownerToken, status, counts, results }));
  } else printMatrix(args.url, final, rowNumbers(range, final.prompts.length));
  return followedExit(final);
}

/** --split: the parts one after another (each saved like a single batch), then followed in order. */
async function submitParts(
  args: SubmitArgs,
  env: Env,
  plan: Extract<SplitPlan, { ok: true }>,
  fileNumbers: number[] | null,
): Promise<number> {
  const n = plan.parts.length;
  // The file's number of each title the app keeps (plan.parts count those from 0).
  const numbers = fileNumbers?.length === plan.titles ? fileNumbers : rowNumbers(null, plan.titles);
  err(
    `batch: ${plan.titles} titles are more than the app takes in one batch (${plan.limit} images); ` +
      `submitting ${n} batches of up to ${plan.perBatch} titles`,
  );
  for (const notice of plan.notices) err(`note: ${notice}`);
  noteBlanks(numbers);
  const store = new TokenStore(env);
  const created: { id: string; url: string; ownerToken: string; numbers: number[] }[] = [];
  for (const [k, part] of plan.parts.entries()) {
    const partNumbers = numbers.slice(part.from, part.from + part.body.prompts.length);
    const first = partNumbers[0] ?? part.from + 1;
    const last = partNumbers[partNumbers.length - 1] ?? first;
    const titles = first === last ? `title ${first}` : `titles ${first}–${last}`;
    const sent = k === 0 ? "none" : first - 1 === 1 ? "title 1" : `titles 1–${first - 1}`;
    const stopped = () =>
      err(`batch: submitted ${k} of ${n} batches (${sent}); ${titles} and after were not submitted`);
    let r;
    try {
      r = await submitBatch(args.url, part.body, { studioPassword: env.STUDIO_PASSWORD });
    } catch (e) {
      if (e instanceof UnreachableError) stopped();
      throw e;
    }
    if (!r.ok) {
      failed(
        args.json,
        `batch ${k + 1} of ${n} (${titles}) rejected (HTTP ${r.status}): ${r.error}`,
        r.issues,
      );
      stopped();
      return 2;
    }
    rememberToken(store, args.url, r.id, r.ownerToken, titleRange(partNumbers));
    const url = new URL(`/b/${r.id}`, args.url).toString();
    created.push({ id: r.id, url, ownerToken: r.ownerToken, numbers: partNumbers });
    if (!args.json) out(url);
    err(`batch ${r.id}: ${titles}, ${plural(r.batch.counts.total, "image")}; owner token saved`);
  }
  if (!args.wait) {
    if (args.json)
      out(
        JSON.stringify({
          batches: created.map(({ id, url, ownerToken, numbers }) => ({
            id,
            url,
            ownerToken,
            firstTitle: numbers[0],
          })),
        }),
      );
    return 0;
  }
  const finals: BatchDto[] = [];
  for (const c of created) finals.push(await follow(args.url, c.id, args.json));
  if (args.json) {
    const batches = finals.map((f, k) => {
      const { id, url, ownerToken, numbers } = created[k]!;
      const { status, counts, results, cells } = batchJson(args.url, f, numbers);
      return { id, url, ownerToken, firstTitle: numbers[0], status, counts, results, cells };
    });
    out(JSON.stringify({ batches }));
  } else finals.forEach((f, k) => printMatrix(args.url, f, created[k]!.numbers, k === 0));
  return finals.every((f) => followedExit(f) === 0) ? 0 : 1;
}

export async function main(argv: string[], env: Env = process.env): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // The flag is looked for as written: the arguments did not parse.
    failed(argv.includes("--json"), e.message);
    // The whole usage for a bare `npm run batch`; after a typo, 45 lines of it would scroll the one
    // line that says what was wrong off the screen.
    err(argv.length === 0 ? USAGE : "batch: npm run batch -- --help lists the commands and options");
    return 2;
  }
  if (args.command === "help") {
    out(USAGE);
    return 0;
  }
  try {
    if (args.command === "submit") return await submit(args, env);
    if (args.command === "list") return await runList(args, env);
    return await runBatchCommand(args, env);
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      failed(args.json, "stopped following; the batch keeps running on the server");
      return 130;
    }
    if (e instanceof UnreachableError || e instanceof CliError) {
      failed(args.json, e.message, e instanceof CliError ? e.issues : []);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(exitWhenFlushed, (e: unknown) => {
    failed(process.argv.includes("--json"), (e as Error).message);
    exitWhenFlushed(2);
  });
}
