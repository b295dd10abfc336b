/**
 * `npm run batch -- list`: the app's batches, newest first, paged through GET /api/batches up to --limit,
 * each marked when this machine holds its owner token (it can cancel, retry or restyle it from here).
 */
import { ApiError, listBatchPage, passwordRefusal, type BatchListItem } from "./batch-client";
import { MAX_LIST, type ListArgs } from "./cli-args";
import { CliError, pageUrl } from "./cli-commands";
import { err, out } from "./cli-output";
import { TokenStore, type Env } from "./token-store";

/** The API's largest page. */
const PAGE = 100;

export async function runList(args: ListArgs, env: Env): Promise<number> {
  const found: BatchListItem[] = [];
  let cursor: string | null = null;
  do {
    const page = await listPage(args, env, Math.min(PAGE, args.limit - found.length), cursor);
    found.push(...page.batches);
    cursor = page.nextCursor;
  } while (cursor && found.length < args.limit);
  const owned = new TokenStore(env).owned(
    args.url,
    found.map((b) => b.id),
  );
  const rows = found.map((b) => ({ ...b, url: pageUrl(args.url, b.id), owned: owned.has(b.id) }));
  if (args.json) {
    out(JSON.stringify({ batches: rows, more: cursor !== null }));
    return 0;
  }
  const which = args.status ? ` ${args.status}` : "";
  const matching = args.search ? ` with a title containing "${args.search}"` : "";
  if (rows.length === 0) {
    err(`no${which} batches${matching} at ${new URL(args.url).origin}`);
    return 0;
  }
  out(["id", "created", "status", "succeeded", "size", "yours", "title", "page"].join("\t"));
  for (const b of rows) {
    out(
      [
        b.id,
        `${new Date(b.createdAt).toISOString().slice(0, 19)}Z`,
        b.status,
        `${b.succeeded}/${b.cells}`,
        `${b.prompts}×${b.models.length}`,
        b.owned ? "yes" : "",
        oneLine(b.title) + (b.prompts > 1 ? ` (+${b.prompts - 1} more)` : ""),
        b.url,
      ].join("\t"),
    );
  }
  const more = cursor ? `; older ones: --limit ${Math.min(args.limit * 2, MAX_LIST)}` : "";
  err(`${rows.length}${which} ${rows.length === 1 ? "batch" : "batches"}${matching}, newest first${more}`);
  return 0;
}

async function listPage(args: ListArgs, env: Env, limit: number, cursor: string | null) {
  try {
    return await listBatchPage(
      args.url,
      { limit, status: args.status, search: args.search, cursor },
      { studioPassword: env.STUDIO_PASSWORD },
    );
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 401) throw new CliError(`cannot list batches: ${passwordRefusal(env.STUDIO_PASSWORD)}`);
    throw new CliError(`cannot list batches (HTTP ${e.status}): ${e.message}`, e.issues);
  }
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
