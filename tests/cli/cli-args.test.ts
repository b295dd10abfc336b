/** `npm run batch` argument parsing: submit stays the default; batch commands take an id or page URL. */
import { describe, expect, it } from "vitest";
import {
  canvasId,
  parseArgs,
  parseBatchRef,
  resolveToken,
  titleLines,
  UsageError,
} from "../../scripts/lib/cli-args";
import type { Env } from "../../scripts/lib/token-store";

const ID = "Xq3bT0aZ9kLmNoPqRsTuVw";
const noFiles = () => false;
const parse = (argv: string[], env: Env = {}) => parseArgs(argv, env, noFiles);
const usage = (argv: string[]) => {
  try {
    parse(argv);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  throw new Error(`no usage error for ${argv.join(" ")}`);
};

describe("list", () => {
  it("takes --status, --limit (20 by default), --json and --url, and no batch", () => {
    expect(parse(["list"], { PORT: "4100" })).toEqual({
      command: "list",
      url: "http://127.0.0.1:4100",
      json: false,
      limit: 20,
    });
    expect(parse(["list", "--status", "failed", "--limit=250", "--json", "--url", "http://h:1"])).toEqual({
      command: "list",
      url: "http://h:1",
      json: true,
      limit: 250,
      status: "failed",
    });
    expect(parse(["list", "--search", "espresso bar"])).toMatchObject({ search: "espresso bar" });
    expect(usage(["status", ID, "--search", "x"])).toBe("--search is not an option of status");
  });

  it("refuses a limit outside 1–1000, an argument, and the options of other commands", () => {
    for (const bad of ["0", "1001", "2.5", "-3", "ten", "1e3"])
      expect(usage(["list", `--limit=${bad}`])).toBe(
        `--limit must be a whole number from 1 to 1000, got "${bad}"`,
      );
    expect(usage(["list", ID])).toBe(`unexpected argument ${ID} (list takes options only)`);
    expect(usage(["list", "--wait"])).toBe("--wait is not an option of list");
    expect(usage(["status", ID, "--limit", "3"])).toBe("--limit is not an option of status");
    expect(usage(["b.json", "--status", "failed"])).toBe(
      "--status is not an option of submitting a batch file",
    );
  });
});

describe("submit (no command)", () => {
  it("keeps the original form: a file, --wait, --json and --url in any order", () => {
    expect(parse(["batch.json", "--wait", "--url", "http://h:1"])).toEqual({
      command: "submit",
      file: "batch.json",
      url: "http://h:1",
      wait: true,
      json: false,
      split: false,
    });
    expect(parse(["--json", "-", "--url=https://x.test"])).toMatchObject({ file: "-", json: true });
    expect(parse(["b.json", "--split", "--wait"])).toMatchObject({ split: true, wait: true });
    expect(parse(["b.json"], { PORT: "4000" })).toMatchObject({ url: "http://127.0.0.1:4000" });
  });

  it("takes a bare word that exists as a file as the batch file, else calls it an unknown command", () => {
    // A command name always means the command; a file of that name is reached as ./status.
    expect(parseArgs(["./status"], {}, (f) => f === "./status")).toMatchObject({ file: "./status" });
    expect(() => parseArgs(["status"], {}, () => true)).toThrow("status needs a batch id");
    expect(parseArgs(["batch"], {}, (f) => f === "batch")).toMatchObject({ file: "batch" });
    expect(usage(["stauts", ID])).toMatch(
      /^unknown command "stauts" \(commands: list, status, wait, download, cancel/,
    );
    expect(parse(["missing.json"])).toMatchObject({ file: "missing.json" });
  });

  it("refuses options of other commands, unknown options and a second file", () => {
    expect(usage(["b.json", "--token", "t"])).toBe("--token is not an option of submitting a batch file");
    expect(usage(["b.json", "--fast"])).toBe("unknown option --fast");
    expect(usage(["status", ID, "--split"])).toBe("--split is not an option of status");
    expect(usage(["a.json", "b.json"])).toBe("unexpected argument b.json (one batch file at a time)");
    expect(usage(["b.json", "--url"])).toBe("--url needs a value");
    expect(usage(["b.json", "--url", "--wait"])).toBe("--url needs a value");
    expect(usage(["b.json", "--url", "ftp://x"])).toBe('--url must be an http(s) URL, got "ftp://x"');
    expect(usage([])).toMatch(/^name a batch file/);
  });

  it("asks for help with -h or --help wherever it is", () => {
    expect(parse(["status", "--help"])).toEqual({ command: "help" });
    expect(parse(["-h"])).toEqual({ command: "help" });
  });
});

describe("batch commands", () => {
  it("parses each command with an id, its flags and the token", () => {
    expect(parse(["status", ID, "--json"])).toEqual({
      command: "status",
      id: ID,
      url: "http://127.0.0.1:3000",
      wait: false,
      json: true,
      token: undefined,
      change: {},
    });
    expect(parse(["retry", ID, "--wait", "--token=abc"])).toMatchObject({ wait: true, token: "abc" });
    expect(parse(["--url", "http://h:9", "cancel", ID])).toMatchObject({
      command: "cancel",
      url: "http://h:9",
    });
  });

  it("takes the page URL, whose origin is the default --url; an explicit --url wins", () => {
    expect(parse(["wait", `http://10.0.0.5:3100/b/${ID}`])).toMatchObject({
      id: ID,
      url: "http://10.0.0.5:3100",
    });
    expect(parse(["status", `https://thumbs.test/b/${ID}/?x=1#top`, "--url", "http://h:1"])).toMatchObject({
      id: ID,
      url: "http://h:1",
    });
  });

  it("says what is missing or wrong about the batch and the options", () => {
    expect(usage(["cancel"])).toBe("cancel needs a batch id or its page URL");
    expect(usage(["status", ID, "--wait"])).toBe("--wait is not an option of status");
    expect(usage(["cancel", ID, "--wait"])).toBe("--wait is not an option of cancel");
    expect(usage(["resume", ID, "--font", "inter"])).toBe("--font is not an option of resume");
    expect(usage(["status", ID, "other"])).toBe("unexpected argument other (one batch at a time)");
    expect(usage(["status", "../etc"])).toMatch(/is not a batch id or a batch page URL/);
    expect(usage(["status", "http://h/gallery"])).toBe(
      '"http://h/gallery" is not a batch page URL (expected http://h/b/<id>)',
    );
    expect(usage(["restyle", ID])).toBe(
      "restyle needs --template, --font, --canvas or --titles (what to change)",
    );
    expect(usage(["cancel", ID, "--token"])).toBe("--token needs a value");
  });

  it("collects a restyle's changes; a canvas size maps to the catalog canvas of that size", () => {
    const args = parse(["restyle", ID, "--template", "left-panel", "--font=inter", "--canvas", "1280x720"]);
    expect(args).toMatchObject({ change: { template: "left-panel", font: "inter", canvas: "youtube" } });
    expect(parse(["restyle", ID, "--titles", "-"])).toMatchObject({ change: {}, titlesFile: "-" });
    expect(parse(["restyle", ID, "--font", "inter"])).not.toHaveProperty("titlesFile");
    expect(usage(["retry", ID, "--titles", "t.txt"])).toBe("--titles is not an option of retry");
    expect(titleLines("One\r\nTwo\n")).toEqual(["One", "Two"]);
    expect(titleLines("One\n\nThree")).toEqual(["One", "", "Three"]);
    expect(canvasId("square")).toBe("square");
    expect(canvasId("1080×1080")).toBe("square");
    expect(canvasId("poster")).toBe("poster");
    expect(() => canvasId("100x100")).toThrow(
      "no canvas is 100x100; the app offers blog (1200x630), youtube (1280x720), square (1080x1080)",
    );
  });

  it("collects a take's cells, repeated or comma-separated, titles counting from 1", () => {
    expect(parse(["take", ID, "--cell", "2:gpt-image-1.5", "--cell=1:local-preview,3:x"])).toMatchObject({
      command: "take",
      cells: [
        { promptIndex: 1, model: "gpt-image-1.5" },
        { promptIndex: 0, model: "local-preview" },
        { promptIndex: 2, model: "x" },
      ],
    });
    expect(parse(["take", ID, "--cell", "1:m", "--wait", "--token", "t"])).toMatchObject({
      wait: true,
      token: "t",
    });
    expect(usage(["take", ID])).toBe(
      "take needs --cell <title number>:<model> (which pictures to make again)",
    );
    for (const bad of ["0:m", "m", "1:", "-1:m", "1.5:m", "1:a b"]) {
      expect(usage(["take", ID, "--cell", bad])).toMatch(/^--cell needs <title number>:<model>/);
    }
    expect(usage(["take", ID, "--cell", "1:m,1:m"])).toBe("--cell names 1:m twice");
    expect(usage(["retry", ID, "--cell", "1:m"])).toBe("--cell is not an option of retry");
  });

  it("switches the takes of the named cells, which it needs, and never waits (nothing runs)", () => {
    expect(parse(["switch", ID, "--cell", "2:gpt-image-1.5", "--token", "t", "--json"])).toMatchObject({
      command: "switch",
      cells: [{ promptIndex: 1, model: "gpt-image-1.5" }],
      token: "t",
      json: true,
    });
    expect(usage(["switch", ID])).toBe(
      "switch needs --cell <title number>:<model> (which cells show another take; <title>:<model>@<n> for their other take n)",
    );
    expect(usage(["switch", ID, "--cell", "1:m", "--wait"])).toBe("--wait is not an option of switch");
    // @n picks other take n, counting from 1 as the batch page does; without it, the first.
    expect(parse(["switch", ID, "--cell", "2:gpt-image-1.5@3,1:m"])).toMatchObject({
      cells: [
        { promptIndex: 1, model: "gpt-image-1.5", other: 2 },
        { promptIndex: 0, model: "m" },
      ],
    });
    expect((parse(["switch", ID, "--cell", "1:m"]) as { cells: object[] }).cells[0]).not.toHaveProperty(
      "other",
    );
    for (const bad of ["1:m@0", "1:m@", "1:m@x", "1:@2", "1:m@-1"])
      expect(usage(["switch", ID, "--cell", bad])).toMatch(
        /^--cell needs <title number>:<model>\[@<other take>\], counting from 1 \(e\.g\. 2:gpt-image-1\.5@2\)/,
      );
    expect(usage(["switch", ID, "--cell", "1:m@2,1:m"])).toBe("--cell names 1:m twice");
    // A cell keeps at most 4 other takes: @5 and past are refused here, counting from 1 as --cell does.
    expect(parse(["switch", ID, "--cell", "1:m@4"])).toMatchObject({ cells: [{ promptIndex: 0, other: 3 }] });
    expect(usage(["switch", ID, "--cell", "1:local-preview@9"])).toBe(
      "--cell 1:local-preview@9: a cell keeps at most 4 other takes, so @<n> is 1 to 4 (1: the one shown most recently)",
    );
  });

  it("reads ids from the batch page and the API paths", () => {
    expect(parseBatchRef(ID)).toEqual({ id: ID });
    expect(parseBatchRef(`http://h:3/api/batches/${ID}`)).toEqual({ id: ID, origin: "http://h:3" });
  });
});

describe("resolveToken", () => {
  const stored = (t: string | null) => () => t;
  it("prefers --token, then THUMB_OWNER_TOKEN, the store, ADMIN_TOKEN", () => {
    const env = { THUMB_OWNER_TOKEN: "env", ADMIN_TOKEN: "admin" };
    expect(resolveToken("flag", env, stored("kept"))).toEqual({ token: "flag", source: "--token" });
    expect(resolveToken(undefined, env, stored("kept"))).toEqual({
      token: "env",
      source: "THUMB_OWNER_TOKEN",
    });
    expect(resolveToken(undefined, { ADMIN_TOKEN: "admin" }, stored("kept"))).toEqual({
      token: "kept",
      source: "the token store",
    });
    expect(resolveToken(undefined, { ADMIN_TOKEN: " admin " }, stored(null))).toEqual({
      token: "admin",
      source: "ADMIN_TOKEN",
    });
    expect(resolveToken(undefined, { THUMB_OWNER_TOKEN: " " }, stored(null))).toBeNull();
  });
});

describe("download", () => {
  it("takes --out, --force and --wait, and nothing an owner command needs", () => {
    expect(parseArgs(["download", ID, "--out", "x.zip", "--force", "--wait"], {}, () => false)).toMatchObject(
      {
        command: "download",
        id: ID,
        out: "x.zip",
        force: true,
        wait: true,
      },
    );
    expect(() => parseArgs(["download", ID, "--token", "t"], {}, () => false)).toThrow(
      "--token is not an option of download",
    );
  });

  it("refuses --out - (it wrote a file named -), in either spelling", () => {
    for (const argv of [
      ["download", ID, "--out", "-"],
      ["download", ID, "--out=-"],
    ])
      expect(() => parseArgs(argv, {}, () => false)).toThrow(/^--out needs a file or folder/);
  });
});
