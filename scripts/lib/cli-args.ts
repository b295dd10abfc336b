/**
 * Command-line parsing for `npm run batch`: submitting a batch file (the default, as before subcommands
 * existed) and the commands that read or manage one batch by id or page URL. Pure, so it is unit-tested.
 */
import { existsSync } from "node:fs";
import { CANVASES, canvasIdFor } from "@/lib/catalog/canvases";
import { OTHER_TAKES_KEPT } from "@/lib/db/schema";
import type { Env } from "./token-store";

export const BATCH_COMMANDS = [
  "status",
  "wait",
  "download",
  "cancel",
  "retry",
  "resume",
  "resend",
  "restyle",
  "take",
  "switch",
] as const;
export type BatchCommand = (typeof BATCH_COMMANDS)[number];

export class UsageError extends Error {}

export interface SubmitArgs {
  command: "submit";
  file: string;
  url: string;
  wait: boolean;
  json: boolean;
  /** --split: past the app's images-per-batch limit, submit the titles as several batches. */
  split: boolean;
}

export interface RestyleChange {
  template?: string;
  font?: string;
  canvas?: string;
}

export interface BatchArgs {
  command: BatchCommand;
  id: string;
  url: string;
  wait: boolean;
  json: boolean;
  token?: string;
  change: RestyleChange;
  /** restyle --titles: a file (or - for stdin) with every title of the batch, one per line, in order. */
  titlesFile?: string;
  /** download --out: the ZIP file to write, or a folder to write it in (default: the server's name, here). */
  out?: string;
  /** download --force: replace an existing file. */
  force?: boolean;
  /** take and switch --cell: the cells to make new pictures of, or to switch (title numbers as typed). */
  cells?: CellRef[];
  /** take --dry-run: name the cells and their price, ask for nothing. */
  dryRun?: boolean;
}

export interface CellRef {
  /**
   * The title number as typed, less one. The commands map it to the batch's row: the file's numbering
   * when the batch was submitted from this machine (scripts/lib/cli-titles.ts), else the batch page's.
   */
  promptIndex: number;
  /** The model as typed; a retired id is mapped to its successor against the batch's models. */
  model: string;
  /** The item as typed, for messages about it. */
  spec: string;
  /** switch: which other take (from 0: the one shown most recently); absent for the first. */
  other?: number;
}

/** `list`: the app's batches, newest first. */
export interface ListArgs {
  command: "list";
  url: string;
  json: boolean;
  /** How many to show at most (the CLI pages through the API for more than one page). */
  limit: number;
  status?: string;
  /** --search: text one of the batch's titles contains. */
  search?: string;
}

/** list --limit: at most this many batches (ten pages of the API's largest). */
export const MAX_LIST = 1_000;

export type CliArgs = SubmitArgs | BatchArgs | ListArgs | { command: "help" };

const FLAGS = ["--wait", "--json", "--force", "--split", "--dry-run"] as const;
const VALUED = [
  "--url",
  "--token",
  "--template",
  "--font",
  "--canvas",
  "--titles",
  "--out",
  "--status",
  "--limit",
  "--cell",
  "--search",
] as const;
type Option = (typeof FLAGS)[number] | (typeof VALUED)[number];

/** The options each command takes; anything else is a usage error naming the command. */
const ALLOWED: Record<SubmitArgs["command"] | ListArgs["command"] | BatchCommand, readonly Option[]> = {
  submit: ["--wait", "--json", "--url", "--split"],
  list: ["--json", "--url", "--status", "--limit", "--search"],
  status: ["--json", "--url"],
  wait: ["--json", "--url"],
  download: ["--wait", "--json", "--url", "--out", "--force"],
  cancel: ["--json", "--url", "--token"],
  retry: ["--wait", "--json", "--url", "--token"],
  resume: ["--wait", "--json", "--url", "--token"],
  resend: ["--wait", "--json", "--url", "--token"],
  restyle: ["--wait", "--json", "--url", "--token", "--template", "--font", "--canvas", "--titles"],
  take: ["--wait", "--json", "--url", "--token", "--cell", "--dry-run"],
  switch: ["--json", "--url", "--token", "--cell"],
};

const isCommand = (word: string): word is BatchCommand =>
  (BATCH_COMMANDS as readonly string[]).includes(word);

export function parseArgs(
  argv: string[],
  env: Env = process.env,
  fileExists: (file: string) => boolean = existsSync,
): CliArgs {
  const given = new Map<Option, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h" || arg === "--help") return { command: "help" };
    if (arg === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = (eq > 0 ? arg.slice(0, eq) : arg) as Option;
    if ((FLAGS as readonly string[]).includes(name) && eq < 0) given.set(name, "");
    else if ((VALUED as readonly string[]).includes(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (!value || (eq < 0 && value.startsWith("--"))) throw new UsageError(`${name} needs a value`);
      // --cell may be given several times; the others keep their last value.
      given.set(name, name === "--cell" && given.has(name) ? `${given.get(name)},${value}` : value);
    } else throw new UsageError(`unknown option ${arg}`);
  }

  const first = positional[0];
  const command = first === "list" ? "list" : first !== undefined && isCommand(first) ? first : "submit";
  for (const name of given.keys()) {
    if (!ALLOWED[command].includes(name))
      throw new UsageError(
        `${name} is not an option of ${command === "submit" ? "submitting a batch file" : command}`,
      );
  }
  const explicitUrl = given.get("--url");
  const common = { wait: given.has("--wait"), json: given.has("--json") };

  if (command === "list") {
    if (positional.length > 1)
      throw new UsageError(`unexpected argument ${positional[1]} (list takes options only)`);
    const raw = given.get("--limit") ?? "20";
    const limit = Number(raw);
    if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_LIST)
      throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIST}, got "${raw}"`);
    const args: ListArgs = {
      command,
      url: checkUrl(explicitUrl ?? defaultUrl(env)),
      json: common.json,
      limit,
    };
    if (given.has("--status")) args.status = given.get("--status");
    if (given.has("--search")) args.search = given.get("--search");
    return args;
  }

  if (command === "submit") {
    if (first === undefined) throw new UsageError("name a batch file (or - for stdin), or a command");
    // A bare word that is neither a command nor a file is far more likely a mistyped command.
    if (/^[a-z][a-z-]*$/.test(first) && !fileExists(first))
      throw new UsageError(
        `unknown command "${first}" (commands: list, ${BATCH_COMMANDS.join(", ")}; or a batch file)`,
      );
    if (positional.length > 1)
      throw new UsageError(`unexpected argument ${positional[1]} (one batch file at a time)`);
    const url = checkUrl(explicitUrl ?? defaultUrl(env));
    return { command, file: first, url, ...common, split: given.has("--split") };
  }

  const ref = positional[1];
  if (ref === undefined) throw new UsageError(`${command} needs a batch id or its page URL`);
  if (positional.length > 2)
    throw new UsageError(`unexpected argument ${positional[2]} (one batch at a time)`);
  const { id, origin } = parseBatchRef(ref);
  const change: RestyleChange = {};
  if (given.has("--template")) change.template = given.get("--template");
  if (given.has("--font")) change.font = given.get("--font");
  if (given.has("--canvas")) change.canvas = canvasId(given.get("--canvas") as string);
  const titlesFile = given.get("--titles");
  if (command === "restyle" && Object.keys(change).length === 0 && !titlesFile)
    throw new UsageError("restyle needs --template, --font, --canvas or --titles (what to change)");
  const url = checkUrl(explicitUrl ?? origin ?? defaultUrl(env));
  const args: BatchArgs = { command, id, url, ...common, token: given.get("--token"), change };
  if (titlesFile) args.titlesFile = titlesFile;
  if (given.get("--out") === "-")
    throw new UsageError(
      '--out needs a file or folder: the ZIP is not written to stdout (- would name a file "-")',
    );
  if (given.has("--out")) args.out = given.get("--out");
  if (given.has("--force")) args.force = true;
  if (given.has("--dry-run")) args.dryRun = true;
  if (command === "take" || command === "switch") {
    const cells = given.get("--cell");
    const which =
      command === "take"
        ? "which pictures to make again"
        : "which cells show another take; <title>:<model>@<n> for their other take n";
    if (!cells) throw new UsageError(`${command} needs --cell <title number>:<model> (${which})`);
    args.cells = parseCells(cells, command === "switch");
  }
  return args;
}

/**
 * take --cell: "<title number>:<model>" items, comma-separated or repeated; titles count from 1, as the
 * batch page and the matrix number them. switch (`otherTake`) also takes "<title>:<model>@<n>": its
 * other take n, counting from 1 as the batch page does (most recently shown first); 1 when left out.
 */
export function parseCells(value: string, otherTake = false): CellRef[] {
  const cells: CellRef[] = [];
  const form = otherTake ? "<title number>:<model>[@<other take>]" : "<title number>:<model>";
  for (const item of value.split(",").map((s) => s.trim())) {
    const match = item.match(otherTake ? /^(\d+):([^\s@]+)(?:@(\d+))?$/ : /^(\d+):(\S+)$/);
    const title = match ? Number(match[1]) : 0;
    const other = match?.[3] === undefined ? 1 : Number(match[3]);
    if (!match || title < 1 || !Number.isSafeInteger(title) || other < 1 || !Number.isSafeInteger(other))
      throw new UsageError(
        `--cell needs ${form}, counting from 1 (e.g. 2:gpt-image-1.5${otherTake ? "@2" : ""}); got "${item}"`,
      );
    if (other > OTHER_TAKES_KEPT)
      throw new UsageError(
        `--cell ${item}: a cell keeps at most ${OTHER_TAKES_KEPT} other takes, so @<n> is 1 to ${OTHER_TAKES_KEPT} (1: the one shown most recently)`,
      );
    const cell: CellRef = { promptIndex: title - 1, model: match[2] as string, spec: item };
    if (match[3] !== undefined) cell.other = other - 1;
    if (cells.some((c) => c.promptIndex === cell.promptIndex && c.model === cell.model))
      throw new UsageError(`--cell names ${title}:${cell.model} twice`);
    cells.push(cell);
  }
  return cells;
}

const defaultUrl = (env: Env) => `http://127.0.0.1:${env.PORT || 3000}`;

function checkUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return url;
  } catch {
    // reported below
  }
  throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A bare batch id, or the batch page URL (http://host/b/<id>, also /api/batches/<id>) and its origin. */
export function parseBatchRef(ref: string): { id: string; origin?: string } {
  if (/^https?:\/\//i.test(ref)) {
    let parsed: URL;
    try {
      parsed = new URL(ref);
    } catch {
      throw new UsageError(`"${ref}" is not a valid URL`);
    }
    const id = parsed.pathname.match(/^\/(?:b|api\/batches)\/([^/]+)\/?$/)?.[1];
    if (id && ID.test(id)) return { id, origin: parsed.origin };
    throw new UsageError(`"${ref}" is not a batch page URL (expected ${parsed.origin}/b/<id>)`);
  }
  if (ID.test(ref)) return { id: ref };
  throw new UsageError(`"${ref}" is not a batch id or a batch page URL (http://host/b/<id>)`);
}

/**
 * The API takes a catalog canvas id. A size (1280x720) is accepted when a catalog canvas has it; other
 * ids go to the server as typed, so a server with a newer catalog is not second-guessed.
 */
export function canvasId(value: string): string {
  const id = canvasIdFor(value);
  const size = value.trim().match(/^(\d+)\s*[x×]\s*(\d+)$/i);
  if (id !== value || !size) return id;
  const offered = CANVASES.map((c) => `${c.id} (${c.width}x${c.height})`).join(", ");
  throw new UsageError(`no canvas is ${size[1]}x${size[2]}; the app offers ${offered}`);
}

export type TokenSource = "--token" | "THUMB_OWNER_TOKEN" | "the token store" | "ADMIN_TOKEN";

/** The bearer for owner controls, first found: --token, THUMB_OWNER_TOKEN, the stored token, ADMIN_TOKEN. */
export function resolveToken(
  flag: string | undefined,
  env: Env,
  stored: () => string | null,
): { token: string; source: TokenSource } | null {
  if (flag) return { token: flag, source: "--token" };
  const fromEnv = env.THUMB_OWNER_TOKEN?.trim();
  if (fromEnv) return { token: fromEnv, source: "THUMB_OWNER_TOKEN" };
  const kept = stored();
  if (kept) return { token: kept, source: "the token store" };
  const admin = env.ADMIN_TOKEN?.trim();
  if (admin) return { token: admin, source: "ADMIN_TOKEN" };
  return null;
}

/** restyle --titles: one title per line; the newline ending the last line is not an extra, empty title. */
export const titleLines = (text: string) => text.replace(/\r?\n$/, "").split(/\r?\n/);
