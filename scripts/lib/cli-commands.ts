/**
 * The commands of `npm run batch` that work on one existing batch: status, wait and download (public reads) and the
 * owner controls cancel, retry, resume, resend and restyle. Each returns the process exit code; refusals
 * and unreachable apps throw CliError (exit 2) with the one line to print.
 */
import { readFile } from "node:fs/promises";
import type { BatchDto } from "@/lib/batches/dto";
import { listRetiredModels } from "@/lib/catalog/models";
import { formatUsd, plural } from "@/lib/format";
import { estimateBatchCost } from "@/lib/batches/estimate";
import { ApiError, fetchBatch, isSettled, passwordRefusal, type FieldIssue } from "./batch-client";
import { resolveToken, titleLines, type BatchArgs, type CellRef, type TokenSource } from "./cli-args";
import { batchJson, countsText, err, follow, followedExit, out, printMatrix } from "./cli-output";
import { DownloadError, downloadZip } from "./cli-download";
import {
  controlBatch,
  restyleBatch,
  cellControl,
  type ControlAction,
  type RestyleRequest,
} from "./manage-client";
import { describeRange, rangeRows, rowNumbers, type TitleRange } from "./cli-titles";
import { TokenStore, type Env } from "./token-store";

/** A refusal or input problem: its message (and field issues) go to stderr, the exit code is 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export const pageUrl = (baseUrl: string, id: string) => new URL(`/b/${id}`, baseUrl).toString();
const origin = (baseUrl: string) => new URL(baseUrl).origin;

export async function runBatchCommand(args: BatchArgs, env: Env): Promise<number> {
  const store = new TokenStore(env);
  switch (args.command) {
    case "status":
      return status(args, await read(args), store.titles(args.url, args.id));
    case "wait":
      // One plain read first: a wrong id or a dead app fails at once, not after the follow's reconnect wait.
      await read(args);
      return finish(args, await followOr404(args, args.id), store.titles(args.url, args.id));
    case "download": {
      const batch = await read(args);
      return download(args, args.wait ? await followOr404(args, args.id) : batch);
    }
    case "restyle":
      return restyle(args, store, env);
    case "take":
      return take(args, store, env);
    case "switch":
      return switchTakes(args, store, env);
    default:
      return control(args, args.command, store, env);
  }
}

async function download(args: BatchArgs, batch: BatchDto): Promise<number> {
  try {
    return await downloadZip(args, batch);
  } catch (e) {
    throw e instanceof DownloadError ? new CliError(e.message) : e;
  }
}

async function read(args: BatchArgs): Promise<BatchDto> {
  try {
    return await fetchBatch(args.url, args.id);
  } catch (e) {
    throw notFound(e, args);
  }
}

async function followOr404(args: BatchArgs, id: string): Promise<BatchDto> {
  try {
    return await follow(args.url, id, args.json);
  } catch (e) {
    throw notFound(e, { ...args, id });
  }
}

function notFound(e: unknown, args: { id: string; url: string }): unknown {
  if (e instanceof ApiError && e.status === 404)
    return new CliError(`no batch ${args.id} at ${origin(args.url)}`);
  if (e instanceof ApiError) return new CliError(e.message, e.issues);
  return e;
}

function status(args: BatchArgs, batch: BatchDto, range: TitleRange | null): number {
  const settled = isSettled(batch);
  const numbers = rowNumbers(range, batch.prompts.length);
  if (args.json) {
    out(JSON.stringify({ ...batchJson(args.url, batch, numbers), settled }));
    return 0;
  }
  out(pageUrl(args.url, batch.id));
  out(`${batch.status}: ${batch.counts.done}/${batch.counts.total} done · ${countsText(batch.counts)}`);
  if (batch.restyledFrom) out(`restyled from ${batch.restyledFrom}`);
  if (batch.cancelReason) out(`cancelled: ${batch.cancelReason}`);
  if (settled) printMatrix(args.url, batch, numbers);
  else err(`still ${batch.status}; \`npm run batch -- wait ${batch.id}\` follows it to the end`);
  return 0;
}

/**
 * After following a batch: the matrix (or JSON) and exit 0 only when every cell succeeded. `range`: the
 * titles of its file the batch holds (the token store's), so rows keep the file's numbers.
 */
function finish(
  args: BatchArgs,
  batch: BatchDto,
  range: TitleRange | null,
  extra: Record<string, unknown> = {},
): number {
  const numbers = rowNumbers(range, batch.prompts.length);
  if (args.json) out(JSON.stringify({ ...batchJson(args.url, batch, numbers), ...extra }));
  else printMatrix(args.url, batch, numbers);
  return followedExit(batch);
}

function token(args: BatchArgs, store: TokenStore, env: Env) {
  return resolveToken(args.token, env, () => store.get(args.url, args.id));
}

/** One readable line for a refused control, naming the server's reason. */
function refusal(
  args: BatchArgs,
  res: { status: number; error: string; issues: FieldIssue[] },
  used: TokenSource | undefined,
): CliError {
  const what = `${args.command} batch ${args.id}`;
  if (res.status === 404) return new CliError(`no batch ${args.id} at ${origin(args.url)}`);
  if (res.status === 403 && !used) {
    return new CliError(
      `cannot ${what}: no owner token for it here; pass --token <ownerToken> or set THUMB_OWNER_TOKEN (an admin: ADMIN_TOKEN)`,
    );
  }
  if (res.status === 403)
    return new CliError(`cannot ${what}: the app refused the token from ${used} (${res.error})`);
  return new CliError(`cannot ${what} (HTTP ${res.status}): ${res.error}`, res.issues);
}

/** How `what` (n cells, queued again) will run: after the batch's run at work (nextWave), or by a new run. */
function requeued(verb: string, what: string, n: number | null, nextWave: boolean | undefined): string {
  const cells = n === null ? `the ${what}s` : plural(n, what);
  return nextWave
    ? `queued ${cells} after the current run: the batch's run makes them once the cells under way have ended`
    : `${verb} ${cells}`;
}

const DONE: Record<ControlAction, (n: number | null, b: BatchDto, nextWave?: boolean) => string> = {
  cancel: (_n, b) =>
    b.counts.cancelled > 0
      ? `cancelled: ${countsText(b.counts)}; calls already under way finish and keep their pictures for resume`
      : `nothing to cancel: the batch has ${b.status === "running" || b.status === "queued" ? "no unfinished cells" : `finished (${b.status})`}`,
  retry: (n, _b, nextWave) => requeued("retrying", "failed cell", n, nextWave),
  resume: (n, _b, nextWave) => requeued("resuming", "cancelled cell", n, nextWave),
  resend: () => "sent to the workflow engine again",
};

/** Longest single pause while resume --wait waits out calls from before a cancel (re-asks after it). */
const RESUME_POLL_MS = 5_000;

async function control(args: BatchArgs, action: ControlAction, store: TokenStore, env: Env): Promise<number> {
  const auth = token(args, store, env);
  let res = await controlBatch(args.url, args.id, action, auth?.token);
  // resume --wait: calls from before the cancel may still land; the server says when it can go on.
  let told = false;
  for (;;) {
    if (res.ok || !args.wait || action !== "resume" || res.status !== 409 || !res.retryAfterMs) break;
    const waitMs = res.retryAfterMs;
    if (!told) err(`batch ${args.id}: ${res.error} Waiting (about ${Math.ceil(waitMs / 1000)} s)…`);
    told = true;
    await new Promise((r) => setTimeout(r, Math.min(waitMs, RESUME_POLL_MS)));
    res = await controlBatch(args.url, args.id, action, auth?.token);
  }
  // A cancel refused because the batch had already finished: cancelled already is what was asked for
  // (exit 0, so a script may cancel twice); any other ending was no cancel, so it stays a refusal.
  const finished = !res.ok && action === "cancel" && res.status === 409 ? await read(args) : null;
  if (finished?.status === "cancelled") res = { ok: true, batch: finished, count: null };
  if (!res.ok) throw refusal(args, res, auth?.source);
  const line = finished
    ? `batch ${args.id}: already cancelled; nothing was changed`
    : `batch ${args.id}: ${DONE[action](res.count, res.batch, res.nextWave)}`;
  const range = store.titles(args.url, args.id);
  const done = {
    action,
    count: res.count,
    ...(res.nextWave === undefined ? {} : { nextWave: res.nextWave }),
  };
  if (!args.wait) {
    if (args.json) {
      const numbers = rowNumbers(range, res.batch.prompts.length);
      out(JSON.stringify({ ...batchJson(args.url, res.batch, numbers), ...done }));
    } else {
      out(pageUrl(args.url, args.id));
      err(line);
    }
    return 0;
  }
  err(line);
  return finish(args, await followOr404(args, args.id), range, done);
}

/** Editors on Windows save UTF-8 with a byte order mark; it is not part of the text (JSON.parse refuses it). */
export const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** A text file, or stdin for "-"; an unreadable one is a CliError naming it. */
export async function readText(file: string): Promise<string> {
  const name = file === "-" ? "stdin" : file;
  try {
    if (file !== "-") return withoutBom(await readFile(file, "utf8"));
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return withoutBom(Buffer.concat(chunks).toString("utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new CliError(`cannot read ${name}: ${why}`);
  }
}

/** A --cell as the API takes it: the batch's row and model, with the item as typed and its title number. */
export interface CellPick {
  promptIndex: number;
  model: string;
  other?: number;
  spec: string;
  title: number;
}

/**
 * take and switch --cell against the batch: each title number (the file's, when `range` says which of
 * its titles the batch holds; else the batch page's, from 1) becomes the batch's row, and a retired model
 * id the cell's model when the batch has its successor (as batch files map it), with a note saying so.
 * A cell the batch does not have is a CliError in the CLI's terms, before anything is asked of the app.
 */
export function resolveCells(
  cells: readonly CellRef[],
  batch: Pick<BatchDto, "id" | "prompts" | "models">,
  range: TitleRange | null,
): { picks: CellPick[]; notes: string[] } {
  const numbers = rowNumbers(range, batch.prompts.length);
  const rowOf = new Map(numbers.map((n, i) => [n, i]));
  const holds = range
    ? `it holds ${describeRange(range)}`
    : `its titles are 1–${batch.prompts.length}, as its page numbers them`;
  const picks: CellPick[] = [];
  const notes: string[] = [];
  for (const cell of cells) {
    const title = cell.promptIndex + 1;
    const row = rowOf.get(title);
    if (row === undefined) {
      const blank = range?.blank.includes(title);
      throw new CliError(
        blank
          ? `--cell ${cell.spec}: title ${title} of the batch's file is blank, so batch ${batch.id} has no cell for it`
          : `--cell ${cell.spec}: batch ${batch.id} has no title ${title}; ${holds}`,
      );
    }
    let model = cell.model;
    if (!batch.models.includes(model)) {
      const retired = listRetiredModels().find((m) => m.id === model);
      if (!retired || !batch.models.includes(retired.successor))
        throw new CliError(
          `--cell ${cell.spec}: batch ${batch.id} has no model ${model} (its models: ${batch.models.join(", ")})`,
        );
      model = retired.successor;
      notes.push(
        `--cell ${cell.spec}: ${retired.id} was retired (${retired.retiredOn}); taken as ${model}, its successor, as in batch files`,
      );
    }
    const twice = picks.find((p) => p.promptIndex === row && p.model === model);
    if (twice)
      throw new CliError(
        `--cell ${twice.spec} and ${cell.spec} name the same cell (title ${title} × ${model})`,
      );
    const pick: CellPick = { promptIndex: row, model, spec: cell.spec, title };
    if (cell.other !== undefined) pick.other = cell.other;
    picks.push(pick);
  }
  return { picks, notes };
}

/**
 * A take or switch refusal in the CLI's terms: issues about `cells.<i>` name the --cell item, and the
 * batch's row numbers in the server's reason ("title 4 × m") become the title numbers used here.
 */
export function cellRefusal(
  res: { status: number; error: string; issues: FieldIssue[] },
  picks: readonly CellPick[],
): { status: number; error: string; issues: FieldIssue[] } {
  const titleOf = (row: number) => picks.find((p) => p.promptIndex === row)?.title ?? row + 1;
  const error = res.error.replace(
    /\btitle (\d+) × /g,
    (_, n: string) => `title ${titleOf(Number(n) - 1)} × `,
  );
  const issues = res.issues.map((issue) => {
    const m = issue.path.match(/^cells\.(\d+)(?:\.(\w+))?$/);
    const pick = m ? picks[Number(m[1])] : undefined;
    if (!m || !pick) return issue;
    const below = issue.message.match(/^must be below (\d+)/);
    const message =
      m[2] === "other" && below
        ? `a cell keeps at most ${below[1]} other takes, so @<n> is 1 to ${below[1]}`
        : m[2] === "promptIndex"
          ? `title ${pick.title}: ${issue.message}`
          : issue.message;
    return { path: `--cell ${pick.spec}`, message };
  });
  return { ...res, error, issues };
}

/** take and switch: the batch (a wrong id fails here), its numbering, and the --cell items resolved. */
async function pickCells(args: BatchArgs, store: TokenStore) {
  const batch = await read(args);
  const range = store.titles(args.url, args.id);
  const { picks, notes } = resolveCells(args.cells ?? [], batch, range);
  for (const note of notes) err(`note: ${note}`);
  const body = picks.map(({ promptIndex, model, other }) =>
    other === undefined ? { promptIndex, model } : { promptIndex, model, other },
  );
  return { picks, range, body, batch };
}

/**
 * What a take will ask for, before it does: each cell with its title's text (the numbering is this
 * machine's file's, or the page's), and the list price of the lot.
 */
export function takePlan(
  picks: readonly CellPick[],
  batch: Pick<BatchDto, "prompts" | "canvas" | "quality">,
) {
  const price = (model: string) =>
    estimateBatchCost({
      prompts: [""],
      models: [model],
      canvas: batch.canvas,
      quality: batch.quality ?? undefined,
    }).totalUsd;
  const cells = picks.map((p) => ({
    title: p.title,
    model: p.model,
    prompt: batch.prompts[p.promptIndex] ?? "",
    priceUsd: price(p.model),
  }));
  const totalUsd = Math.round(cells.reduce((sum, c) => sum + c.priceUsd, 0) * 1e6) / 1e6;
  const lines = cells.map((c) => `  title ${c.title} × ${c.model}: “${c.prompt}”`);
  return { cells, totalUsd, lines };
}

async function take(args: BatchArgs, store: TokenStore, env: Env): Promise<number> {
  const auth = token(args, store, env);
  const { picks, range, body, batch: before } = await pickCells(args, store);
  const plan = takePlan(picks, before);
  const asking = `${plural(picks.length, "new take")} of batch ${args.id}, ${formatUsd(plan.totalUsd)} at list price`;
  if (args.dryRun) {
    if (args.json)
      out(
        JSON.stringify({
          id: args.id,
          action: "take",
          dryRun: true,
          cells: plan.cells,
          totalUsd: plan.totalUsd,
        }),
      );
    else err([`dry run, nothing asked for: ${asking}`, ...plan.lines].join("\n"));
    return 0;
  }
  if (!args.json) err([`asking for ${asking}:`, ...plan.lines].join("\n"));
  const res = await cellControl(args.url, args.id, "takes", body, auth?.token, env.STUDIO_PASSWORD);
  if (!res.ok && res.status === 401)
    throw new CliError(`cannot take batch ${args.id}: ${passwordRefusal(env.STUDIO_PASSWORD)}`);
  if (!res.ok) throw refusal(args, cellRefusal(res, picks), auth?.source);
  const line = `batch ${args.id}: ${plural(res.count ?? 0, "new take")} under way; each cell keeps its picture until the new one is stored`;
  if (!args.wait) {
    if (args.json) {
      const numbers = rowNumbers(range, res.batch.prompts.length);
      out(JSON.stringify({ ...batchJson(args.url, res.batch, numbers), action: "take", count: res.count }));
    } else {
      out(pageUrl(args.url, args.id));
      err(line);
    }
    return 0;
  }
  err(line);
  const batch = await followOr404(args, args.id);
  // The exit code is about the takes, not the batch: a failed take leaves its cell succeeded (the
  // previous picture, with a note), and cells failed before the takes are not theirs.
  const failed = picks.flatMap((pick) => {
    const cell = batch.cells.find((c) => c.promptIndex === pick.promptIndex && c.model === pick.model);
    return !cell || cell.status !== "succeeded" || cell.note
      ? [{ pick, why: cell?.note ?? cell?.error }]
      : [];
  });
  for (const { pick, why } of failed)
    err(`batch ${args.id}: title ${pick.title} × ${pick.model}: ${why ?? "no new picture"}`);
  const numbers = rowNumbers(range, batch.prompts.length);
  if (args.json)
    out(JSON.stringify({ ...batchJson(args.url, batch, numbers), action: "take", count: res.count }));
  else printMatrix(args.url, batch, numbers);
  return failed.length > 0 ? 1 : 0;
}

/** Each named cell shows one of its other takes (by default the most recently shown: back and forth). */
async function switchTakes(args: BatchArgs, store: TokenStore, env: Env): Promise<number> {
  const auth = token(args, store, env);
  const { picks, range, body } = await pickCells(args, store);
  const res = await cellControl(args.url, args.id, "alternate", body, auth?.token, env.STUDIO_PASSWORD);
  if (!res.ok && res.status === 401)
    throw new CliError(`cannot switch takes of batch ${args.id}: ${passwordRefusal(env.STUDIO_PASSWORD)}`);
  if (!res.ok) throw refusal(args, cellRefusal(res, picks), auth?.source);
  if (args.json) {
    const numbers = rowNumbers(range, res.batch.prompts.length);
    out(JSON.stringify({ ...batchJson(args.url, res.batch, numbers), action: "switch", count: res.count }));
    return 0;
  }
  err(`batch ${args.id}: ${plural(res.count ?? 0, "cell")} switched to another take`);
  for (const pick of picks) {
    const cell = res.batch.cells.find((c) => c.promptIndex === pick.promptIndex && c.model === pick.model);
    if (cell?.imageUrl) out(`title ${pick.title} × ${pick.model}: ${new URL(cell.imageUrl, args.url)}`);
  }
  return 0;
}

async function restyle(args: BatchArgs, store: TokenStore, env: Env): Promise<number> {
  const change: RestyleRequest = { ...args.change };
  if (args.titlesFile) change.prompts = titleLines(await readText(args.titlesFile));
  const auth = token(args, store, env);
  const res = await restyleBatch(args.url, args.id, change, auth?.token, env.STUDIO_PASSWORD);
  if (!res.ok && res.status === 401)
    throw new CliError(`cannot restyle batch ${args.id}: ${passwordRefusal(env.STUDIO_PASSWORD)}`);
  if (!res.ok) throw refusal(args, res, auth?.source);
  const { id, ownerToken, batch } = res;
  // The same titles, in the same rows: the new batch keeps the file's numbering of the one restyled.
  const from = store.titles(args.url, args.id);
  const range = from && rangeRows(from) === batch.prompts.length ? from : null;
  rememberToken(store, args.url, id, ownerToken, range ?? undefined);
  const url = pageUrl(args.url, id);
  if (!args.json) out(url);
  err(
    `batch ${id}: restyled from ${args.id}, ${plural(batch.counts.total, "stored picture")} composed again (no provider calls)`,
  );
  if (!args.wait) {
    if (args.json) out(JSON.stringify({ id, url, ownerToken, status: batch.status, restyledFrom: args.id }));
    return 0;
  }
  const final = await followOr404(args, id);
  return finish({ ...args, id }, final, range, { ownerToken });
}

/** Keeps a new batch's owner token for later commands; only when that fails is the token shown. */
export function rememberToken(
  store: TokenStore,
  appUrl: string,
  id: string,
  ownerToken: string,
  titles?: TitleRange,
): void {
  try {
    store.save(appUrl, id, ownerToken, titles);
  } catch (e) {
    // Printed only here: without the store it is the one copy the user can still manage the batch with.
    err(`warning: could not save the owner token in ${store.file} (${(e as Error).message})`);
    err(`owner token of batch ${id} (keep it; pass it with --token): ${ownerToken}`);
  }
}
