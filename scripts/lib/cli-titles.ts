/**
 * Title numbers as in the batch file. The app drops blank titles, and --split gives each batch a slice
 * of the file, so a batch's own rows (1, 2, … as its page shows them) are not the file's numbers. The
 * CLI prints the file's numbers and reads them back in `take`/`switch --cell`: for a batch this machine
 * submitted, the token store keeps which titles of the file it holds (a TitleRange). Pure.
 */
import { cleanPrompt } from "@/lib/batches/input";

/**
 * A batch's titles as the file numbers them (from 1): titles `from`–`to`, without the `blank` ones, which
 * the app dropped. Absent when they are simply 1–n.
 */
export interface TitleRange {
  from: number;
  to: number;
  blank: number[];
}

/**
 * The file numbers (from 1) of the titles the app keeps, in order: row i of the batch made of the whole
 * file is title numbers[i]. Null when the file has no list of titles (the app then refuses it anyway).
 */
export function fileTitleNumbers(raw: unknown): number[] | null {
  const prompts: unknown = Array.isArray(raw)
    ? raw[0]
    : raw !== null && typeof raw === "object"
      ? (raw as { prompts?: unknown }).prompts
      : undefined;
  if (!Array.isArray(prompts)) return null;
  const numbers: number[] = [];
  prompts.forEach((p, i) => {
    if (typeof p !== "string" || cleanPrompt(p).length > 0) numbers.push(i + 1);
  });
  return numbers;
}

/** The range of rows numbered `numbers` (ascending); undefined when they are 1–n (nothing to keep). */
export function titleRange(numbers: readonly number[]): TitleRange | undefined {
  const from = numbers[0];
  const to = numbers[numbers.length - 1];
  if (from === undefined || to === undefined || (from === 1 && to === numbers.length)) return undefined;
  const kept = new Set(numbers);
  const blank: number[] = [];
  for (let n = from; n <= to; n++) if (!kept.has(n)) blank.push(n);
  return { from, to, blank };
}

/** How many rows a batch with this range has. */
export const rangeRows = (range: TitleRange) => range.to - range.from + 1 - range.blank.length;

/** The title number of each of a batch's `rows` rows: the file's when its range is known, else 1–rows. */
export function rowNumbers(range: TitleRange | null | undefined, rows: number): number[] {
  if (!range) return Array.from({ length: rows }, (_, i) => i + 1);
  const blank = new Set(range.blank);
  const numbers: number[] = [];
  for (let n = range.from; numbers.length < rows; n++) if (!blank.has(n)) numbers.push(n);
  return numbers;
}

/** "titles 3–7", "title 3", with the blank ones named: what a batch holds, in the file's numbers. */
export function describeRange(range: TitleRange): string {
  const span = range.from === range.to ? `title ${range.from}` : `titles ${range.from}–${range.to}`;
  if (range.blank.length === 0) return `${span} of its file`;
  const shown = range.blank.slice(0, 5).join(", ") + (range.blank.length > 5 ? ", …" : "");
  return `${span} of its file (${range.blank.length === 1 ? "title" : "titles"} ${shown} blank, so not in the batch)`;
}
