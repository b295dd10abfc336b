/**
 * `npm run batch -- download <id>`: the batch's finished images and manifest as the ZIP the page offers,
 * written next to its final name and renamed only when complete, so an interrupted download never
 * leaves a file that looks whole.
 */
import { createWriteStream, existsSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebStream } from "node:stream/web";
import type { BatchDto } from "@/lib/batches/dto";
import { plural } from "@/lib/format";
import { readError, request } from "./batch-client";
import type { BatchArgs } from "./cli-args";
import { err, out } from "./cli-output";

export class DownloadError extends Error {}

/**
 * The name from Content-Disposition, reduced to a plain file name; null when absent. The UTF-8 form
 * (filename*=UTF-8''…) comes first: the plain one is an ASCII stand-in (the server's has "_" as "-").
 */
export function suggestedName(disposition: string | null): string | null {
  const quoted =
    utf8Name(disposition) ??
    disposition?.match(/filename="([^"]+)"/i)?.[1] ??
    disposition?.match(/filename=([^;\s]+)/i)?.[1];
  const name = quoted ? path.basename(quoted.replace(/\\/g, "/")) : null;
  return name && name !== "." && name !== ".." ? name : null;
}

function utf8Name(disposition: string | null | undefined): string | null {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;\s]+)/i)?.[1];
  if (!encoded) return null;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

/** Where to write: --out as a file, or inside it when it is a folder; else the server's name here. */
export function targetPath(outArg: string | undefined, suggested: string, cwd = process.cwd()): string {
  if (!outArg) return path.resolve(cwd, suggested);
  const resolved = path.resolve(cwd, outArg);
  const isDir = outArg.endsWith("/") || (existsSync(resolved) && statSync(resolved).isDirectory());
  return isDir ? path.join(resolved, suggested) : resolved;
}

export async function downloadZip(args: BatchArgs, batch: BatchDto): Promise<number> {
  const url = new URL(`/api/batches/${encodeURIComponent(args.id)}/zip`, args.url);
  const res = await request(url.toString());
  if (!res.ok) {
    const { error } = await readError(res);
    throw new DownloadError(`cannot download batch ${args.id} (HTTP ${res.status}): ${error}`);
  }
  const target = targetPath(
    args.out,
    suggestedName(res.headers.get("content-disposition")) ?? `${args.id}.zip`,
  );
  if (existsSync(target) && !args.force) {
    await res.body?.cancel();
    throw new DownloadError(`${target} exists; pass --force to replace it`);
  }
  if (!existsSync(path.dirname(target))) {
    await res.body?.cancel();
    throw new DownloadError(`no folder ${path.dirname(target)} to write ${path.basename(target)} in`);
  }
  const partial = `${target}.part`;
  try {
    if (!res.body) throw new Error("the response had no body");
    await pipeline(Readable.fromWeb(res.body as WebStream<Uint8Array>), createWriteStream(partial));
    renameSync(partial, target);
  } catch (e) {
    rmSync(partial, { force: true });
    throw new DownloadError(`downloading batch ${args.id} failed: ${(e as Error).message}`);
  }
  const bytes = statSync(target).size;
  const images = batch.counts.succeeded;
  const missing = batch.counts.total - images;
  if (args.json) {
    out(JSON.stringify({ id: args.id, file: target, bytes, images, missing, status: batch.status }));
  } else {
    out(target);
    err(`saved ${plural(images, "image")} and manifest.json (${(bytes / 1024).toFixed(0)} kB)`);
  }
  if (missing > 0 && !args.json) {
    const why = batch.counts.done < batch.counts.total ? "not finished yet" : "failed or cancelled";
    err(`${plural(missing, "cell")} ${missing === 1 ? "is" : "are"} ${why} and not in the archive`);
  }
  return 0;
}
