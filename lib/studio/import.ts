/**
 * Reading titles (and, for batch.json, the whole request) from a file the person drops on the studio:
 * .txt (one title per line), .csv (the "title"/"prompt" column, else the first), .json (the seeds'
 * positional batch.json, the named object, or a plain array of titles). Runs in the browser.
 */
import { resolveModel } from "@/lib/catalog/models";

export interface ImportedBatch {
  prompts: string[];
  models?: string[];
  style?: string;
  template?: string;
  font?: string;
  canvas?: string;
  context?: string;
  extraPrompt?: string;
}

export type ImportResult = { ok: true; value: ImportedBatch } | { ok: false; error: string };

export function importFile(name: string, text: string): ImportResult {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  if (ext === "json") return fromJson(text);
  if (ext === "csv") return fromCsv(text);
  if (ext === "txt" || ext === "text" || ext === "md") return done({ prompts: lines(text) });
  return { ok: false, error: `Can't read "${name}": use a .txt, .csv or batch.json file.` };
}

function lines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function done(value: ImportedBatch): ImportResult {
  if (value.prompts.length === 0) return { ok: false, error: "The file has no titles in it." };
  return { ok: true, value };
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const strings = (v: unknown) =>
  Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : undefined;

function fromJson(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    const problem = jsonProblem(text.replace(/^\uFEFF/, "")) ?? "it could not be read";
    return { ok: false, error: `That file is not valid JSON (${problem}).` };
  }
  if (Array.isArray(data)) {
    const plain = strings(data);
    if (plain) return done({ prompts: plain.map((p) => p.trim()).filter(Boolean) });
    const [prompts, models, style, template, font, context, extraPrompt] = data as unknown[];
    const list = strings(prompts);
    if (!list) return { ok: false, error: "batch.json: the first item must be the list of titles." };
    return done({
      prompts: list.map((p) => p.trim()).filter(Boolean),
      models: strings(models),
      style: str(style),
      template: str(template),
      font: str(font),
      context: str(context),
      extraPrompt: str(extraPrompt),
    });
  }
  if (data && typeof data === "object") {
    const o = data as Record<string, unknown>;
    const list = strings(o.prompts);
    if (!list) return { ok: false, error: 'batch.json: "prompts" must be a list of titles.' };
    return done({
      prompts: list.map((p) => p.trim()).filter(Boolean),
      models: strings(o.models),
      style: str(o.style),
      template: str(o.template),
      font: str(o.font),
      canvas: str(o.canvas),
      context: str(o.context),
      extraPrompt: str(o.extraPrompt),
    });
  }
  return { ok: false, error: "batch.json must be an array or an object." };
}

/** Where parsing stopped: the offset of the first character JSON does not allow there. */
class Stop {
  constructor(readonly at: number) {}
}

/**
 * What is wrong with `src`, which JSON.parse refused, said the same in every browser (their own
 * messages differ, and some name no place): "unexpected “]” at line 2, column 6", or that it ends too
 * soon; null for valid JSON. A small JSON reader that only looks for the first character JSON does not
 * allow.
 */
export function jsonProblem(src: string): string | null {
  if (src.trim() === "") return "it is empty";
  let i = 0;
  const stop = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < src.length && " \t\n\r".includes(src[i]!)) i++;
  };
  const expect = (c: string) => (src[i] === c ? i++ : stop());
  const digits = () => {
    if (!/[0-9]/.test(src[i] ?? "")) stop();
    while (/[0-9]/.test(src[i] ?? "")) i++;
  };
  const string = () => {
    expect('"');
    for (;;) {
      const c = src[i];
      if (c === undefined || c < " ") stop();
      i++;
      if (c === '"') return;
      if (c !== "\\") continue;
      if ('"\\/bfnrt'.includes(src[i] ?? "x")) i++;
      else if (src[i] === "u") {
        i++;
        for (let n = 0; n < 4; n++)
          if (/[0-9a-fA-F]/.test(src[i] ?? "")) i++;
          else stop();
      } else stop();
    }
  };
  const value = (): void => {
    space();
    const c = src[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      space();
      if (src[i] === close) return void i++;
      for (;;) {
        if (c === "{") {
          space();
          string();
          space();
          expect(":");
        }
        value();
        space();
        if (src[i] === ",") i++;
        else return void expect(close);
      }
    }
    if (c === '"') return string();
    if (c === "-" || /[0-9]/.test(c ?? "")) {
      if (c === "-") i++;
      if (src[i] === "0") i++;
      else digits();
      if (src[i] === ".") {
        i++;
        digits();
      }
      if (src[i] === "e" || src[i] === "E") {
        i++;
        if (src[i] === "+" || src[i] === "-") i++;
        digits();
      }
      return;
    }
    const word = ["true", "false", "null"].find((w) => w[0] === c);
    if (!word) stop();
    for (const letter of word ?? "") expect(letter);
  };
  try {
    value();
    space();
    if (i < src.length) stop();
  } catch (err) {
    // Nesting too deep for this reader (a stack overflow): JSON.parse had its own reason.
    if (!(err instanceof Stop)) return null;
    if (err.at >= src.length) return "it ends before the JSON is complete: is part of it missing?";
    const before = src.slice(0, err.at);
    const line = before.split("\n").length;
    const column = err.at - before.lastIndexOf("\n");
    return `unexpected ${shown(String.fromCodePoint(src.codePointAt(err.at)!))} at line ${line}, column ${column}`;
  }
  return null;
}

/** A character as a message names it: printable ones quoted, others by name or code point. */
function shown(c: string): string {
  if (c === "\n" || c === "\r") return "line break";
  if (c < " " || c === "\u007f")
    return `control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  return `“${c}”`;
}

/** RFC 4180 fields: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

function fromCsv(text: string): ImportResult {
  const rows = parseCsv(text);
  if (rows.length === 0) return { ok: false, error: "The CSV file is empty." };
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const named = header.findIndex((h) => h === "title" || h === "prompt" || h === "titles" || h === "prompts");
  const col = named === -1 ? 0 : named;
  const body = named === -1 ? rows : rows.slice(1);
  return done({ prompts: body.map((r) => (r[col] ?? "").trim()).filter(Boolean) });
}

/** Removes repeated titles (case- and space-insensitive), keeping the first. */
export function dedupe(prompts: readonly string[]): string[] {
  const seen = new Set<string>();
  return prompts.filter((p) => {
    const key = sameTitleKey(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Titles that are the same to dedupe: case and spacing aside. */
const sameTitleKey = (p: string) => p.trim().replace(/\s+/g, " ").toLowerCase();

/**
 * Each row (0-based) whose title repeats an earlier one, with the row it repeats: what "Remove
 * duplicates" would drop. Blank rows repeat nothing.
 */
export function repeatedRows(prompts: readonly string[]): Map<number, number> {
  const first = new Map<string, number>();
  const repeats = new Map<number, number>();
  prompts.forEach((p, i) => {
    const key = sameTitleKey(p);
    if (key === "") return;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else repeats.set(i, earlier);
  });
  return repeats;
}

/** A model card of the studio, as far as importing needs it. */
export interface ImportableModel {
  id: string;
  label: string;
  available: boolean;
  missingEnv: string | null;
}

/**
 * The models of an imported file as the studio can tick them: retired ids mapped to their successors
 * (as the server maps them), duplicates dropped; ids it does not know, and models not available here,
 * left out. `notes` says what changed, for the person to read.
 */
export function importModels(ids: readonly string[], cards: readonly ImportableModel[]) {
  const models: string[] = [];
  const notes: string[] = [];
  for (const raw of ids.map((id) => id.trim()).filter(Boolean)) {
    let id: string;
    try {
      id = resolveModel(raw).model.id;
    } catch {
      notes.push(`left out unknown model "${raw}"`);
      continue;
    }
    const card = cards.find((c) => c.id === id);
    if (id !== raw) notes.push(`${raw} is retired: using ${card?.label ?? id} instead`);
    if (!card?.available) {
      const why = card?.missingEnv ? ` (set ${card.missingEnv})` : "";
      notes.push(`left out ${card?.label ?? id}, not available here${why}`);
    } else if (!models.includes(id)) models.push(id);
  }
  return { models, notes };
}
