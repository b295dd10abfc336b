/**
 * What `npm run batch` prints: results on stdout (page URL, URL matrix, JSON), progress and reasons on
 * stderr, so `> out.tsv` or `| jq` get only the results.
 */
import type { BatchDto } from "@/lib/batches/dto";
import { absoluteResults, followBatch, UnreachableError, type FieldIssue } from "./batch-client";

export const out = (line: string) => process.stdout.write(`${line}\n`);
export const err = (line: string) => process.stderr.write(`${line}\n`);

/** Counts per state, the ones that say something: "3 succeeded · 1 failed · 2 running · 4 queued". */
export function countsText(c: BatchDto["counts"]): string {
  const parts = [`${c.succeeded} succeeded`, `${c.failed} failed`, `${c.running + c.retrying} running`];
  parts.push(`${c.queued} queued`);
  if (c.cancelled > 0) parts.push(`${c.cancelled} cancelled`);
  return parts.join(" · ");
}

/** One progress line: bar, done/total and counts per state. */
export function progressLine(
  batch: Pick<BatchDto, "counts" | "status">,
  elapsedMs: number,
  width = 24,
): string {
  const c = batch.counts;
  const filled = c.total === 0 ? width : Math.round((c.done / c.total) * width);
  const bar = `${"#".repeat(filled)}${".".repeat(width - filled)}`;
  const secs = (elapsedMs / 1000).toFixed(1);
  return `[${bar}] ${c.done}/${c.total}  ${countsText(c)}  ${batch.status} ${secs}s`;
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
    /** A line of its own between progress lines (on a terminal, in place of the line being drawn). */
    note(line: string) {
      if (tty) process.stderr.write("\r\x1b[2K");
      err(line);
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}

/** What the follower says when the app stops answering, and when it answers again. */
export function reachabilityLine(down: { reason: string; waitMs: number } | null): string {
  if (!down) return "batch: the app answers again; following on";
  const seconds = Math.round(down.waitMs / 1000);
  const wait = seconds >= 120 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
  return `batch: ${down.reason}; trying again for up to ${wait} (Ctrl-C stops following, not the batch)`;
}

/** Follows a batch to its end with progress on stderr; Ctrl-C stops following (AbortError), not the batch. */
export async function follow(
  baseUrl: string,
  id: string,
  json: boolean,
  unreachableMs?: number,
): Promise<BatchDto> {
  const progress = progressReporter(json);
  const stop = new AbortController();
  const onInt = () => stop.abort();
  process.once("SIGINT", onInt);
  try {
    return await followBatch(baseUrl, id, {
      onUpdate: progress.update,
      onReachability: (down) => progress.note(reachabilityLine(down)),
      unreachableMs,
      signal: stop.signal,
    });
  } catch (e) {
    // The batch goes on without us: say how to pick it up again (the page URL names the app too).
    if (e instanceof UnreachableError)
      e.message += `; the batch goes on: npm run batch -- wait ${new URL(`/b/${id}`, baseUrl)} follows it again`;
    throw e;
  } finally {
    process.off("SIGINT", onInt);
    progress.end();
  }
}

/**
 * Exit code of a followed batch: 0 when it succeeded (every cell it still has), 1 when any cell failed
 * or was cancelled, or none is left (a cancelled batch whose images were all deleted from the gallery).
 */
export const followedExit = (batch: Pick<BatchDto, "status" | "counts">) =>
  batch.status === "succeeded" && batch.counts.succeeded === batch.counts.total ? 0 : 1;

/**
 * The URL matrix as tab-separated rows (a cell without image shows its status); reasons on stderr.
 * `numbers`: each row's title number as in the batch's file (scripts/lib/cli-titles.ts; batches split
 * from one file print one table), else 1–n.
 */
export function printMatrix(
  baseUrl: string,
  batch: BatchDto,
  numbers: readonly number[] = [],
  header = true,
): void {
  const results = absoluteResults(baseUrl, batch);
  const number = (i: number) => numbers[i] ?? i + 1;
  if (header) out(["#", "prompt", ...batch.models].join("\t"));
  batch.prompts.forEach((prompt, i) => {
    const cells = batch.models.map((model, m) => {
      const url = results[i]?.[m];
      if (url) return url;
      const cell = batch.cells.find((c) => c.promptIndex === i && c.model === model);
      return (cell?.status ?? "missing").toUpperCase();
    });
    out([String(number(i)), prompt, ...cells].join("\t"));
  });
  const failed = batch.cells.filter((c) => c.status === "failed" || c.status === "cancelled");
  for (const c of failed)
    err(`${c.status}: #${number(c.promptIndex)} × ${c.model}: ${c.error ?? "no reason recorded"}`);
}

export function formatIssues(issues: FieldIssue[]): string[] {
  return issues.map((i) => `  ${i.path}: ${i.message}`);
}

/**
 * A command that failed: its line and the server's field issues on stderr; with --json also one
 * `{error, issues}` object on stdout, so a script reading stdout learns why, not only the exit code.
 */
export function failed(json: boolean, error: string, issues: FieldIssue[] = []): void {
  if (json) out(JSON.stringify({ error, issues }));
  err(`batch: ${error}`);
  for (const line of formatIssues(issues)) err(line);
}

/**
 * The machine-readable summary of a batch (status, counts, absolute image URLs) that --json prints; each
 * cell's `title` is its title number as printed in the matrix (`numbers`, as for printMatrix).
 */
export function batchJson(baseUrl: string, batch: BatchDto, numbers: readonly number[] = []) {
  const abs = (u: string | null) => (u === null ? null : new URL(u, baseUrl).toString());
  return {
    id: batch.id,
    url: new URL(`/b/${batch.id}`, baseUrl).toString(),
    status: batch.status,
    counts: batch.counts,
    results: absoluteResults(baseUrl, batch),
    cells: batch.cells.map((c) => ({
      promptIndex: c.promptIndex,
      title: numbers[c.promptIndex] ?? c.promptIndex + 1,
      model: c.model,
      status: c.status,
      imageUrl: abs(c.imageUrl),
      error: c.error,
    })),
    restyledFrom: batch.restyledFrom,
    cancelReason: batch.cancelReason,
  };
}

/**
 * Exits with `code` once everything written to stdout and stderr has reached them. Writes to a pipe are
 * asynchronous in Node, so process.exit right after a large matrix or JSON cut it off (`| jq` read the
 * first 64 kB). A reader that went away (`| head`) ends the wait too.
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let waiting = 2;
  const done = () => {
    if (--waiting === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    stream.once("error", () => process.exit(code));
    stream.write("", done);
  }
}
