/** Title numbers as in the batch file (scripts/lib/cli-titles.ts) and take/switch refusals in the CLI's terms. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cellRefusal, withoutBom, type CellPick } from "../../scripts/lib/cli-commands";
import { describeRange, fileTitleNumbers, rowNumbers, titleRange } from "../../scripts/lib/cli-titles";
import { TokenStore } from "../../scripts/lib/token-store";

describe("file title numbers", () => {
  it("numbers the titles the app keeps as the file does, blank ones counted but left out", () => {
    expect(fileTitleNumbers({ prompts: ["a", "  ", "b", "\n\t", "c"] })).toEqual([1, 3, 5]);
    expect(fileTitleNumbers([["a", "", "b"], ["local-preview"], "neon", "bottom-bar", "inter"])).toEqual([
      1, 3,
    ]);
    expect(fileTitleNumbers({ models: [] })).toBeNull();
  });

  it("keeps a range only when the rows are not simply 1–n, and gives each row its number back", () => {
    expect(titleRange([1, 2, 3])).toBeUndefined();
    expect(titleRange([1, 2, 3, 5, 6])).toEqual({ from: 1, to: 6, blank: [4] });
    expect(titleRange([12, 13, 15])).toEqual({ from: 12, to: 15, blank: [14] });
    expect(rowNumbers({ from: 12, to: 15, blank: [14] }, 3)).toEqual([12, 13, 15]);
    expect(rowNumbers(null, 3)).toEqual([1, 2, 3]);
    expect(describeRange({ from: 12, to: 15, blank: [14] })).toBe(
      "titles 12–15 of its file (title 14 blank, so not in the batch)",
    );
  });

  it("is kept with the batch's token, and a hand-edited range counts as none", () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "titles-"));
    try {
      const store = new TokenStore({ XDG_CONFIG_HOME: home });
      store.save("http://h:1", "a", "t", { from: 3, to: 6, blank: [4] });
      store.save("http://h:1", "b", "t");
      store.save("http://h:1", "c", "t", { from: 5, to: 2, blank: [] });
      expect(store.titles("http://h:1/b/a", "a")).toEqual({ from: 3, to: 6, blank: [4] });
      expect(store.titles("http://h:1", "b")).toBeNull();
      expect(store.titles("http://h:1", "c")).toBeNull();
      expect(store.get("http://h:1", "a")).toBe("t");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("take and switch refusals", () => {
  const picks: CellPick[] = [
    { promptIndex: 3, model: "local-preview", spec: "5:local-preview", title: 5 },
    { promptIndex: 0, model: "local-preview", other: 8, spec: "1:local-preview@9", title: 1 },
  ];

  it("names the --cell item instead of the request's cells.<i> and counts other takes from 1", () => {
    const res = cellRefusal(
      {
        status: 400,
        error: "Invalid request for switching takes.",
        issues: [
          { path: "cells.1.other", message: "must be below 4: a cell keeps at most that many other takes" },
        ],
      },
      picks,
    );
    expect(res.issues).toEqual([
      { path: "--cell 1:local-preview@9", message: "a cell keeps at most 4 other takes, so @<n> is 1 to 4" },
    ]);
  });

  it("gives the server's title numbers (the batch's rows) as the --cell numbers", () => {
    const res = cellRefusal(
      {
        status: 409,
        error: "Only a cell with a finished image can get a new take (title 4 × local-preview).",
        issues: [],
      },
      picks,
    );
    expect(res.error).toBe("Only a cell with a finished image can get a new take (title 5 × local-preview).");
  });
});

describe("byte order mark", () => {
  it("is dropped from the start of a text, and only there", () => {
    expect(withoutBom("\ufeff{}")).toBe("{}");
    expect(withoutBom("{}\ufeff")).toBe("{}\ufeff");
    expect(JSON.parse(withoutBom('\ufeff["a"]'))).toEqual(["a"]);
  });
});
