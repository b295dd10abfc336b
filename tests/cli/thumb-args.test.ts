/** `npm run thumb`: every flag is checked before the (paid) provider call; the file is what its name says. */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkOutPath, outputFormat, parseThumbArgs } from "../../scripts/lib/thumb-args";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "thumb-args-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = ["--title", "Brew better coffee", "--model", "gpt-image-1.5"];
const parse = (...more: string[]) => parseThumbArgs([...base, ...more], () => {});
const usage = (...more: string[]) => {
  try {
    parse(...more);
  } catch (e) {
    return (e as Error).message;
  }
  return "accepted";
};

describe("thumb's output format", () => {
  it("follows --out's extension when --format is not given", () => {
    expect(outputFormat("t.jpg", undefined)).toBe("jpeg");
    expect(outputFormat("T.JPEG", undefined)).toBe("jpeg");
    expect(outputFormat("t.webp", undefined)).toBe("webp");
    expect(outputFormat("dir.v2/t.png", undefined)).toBe("png");
    expect(outputFormat("thumb", undefined)).toBe("jpeg");
    expect(outputFormat("thumb", "png")).toBe("png");
    expect(outputFormat("t.jpg", "jpg")).toBe("jpeg");
  });

  it("refuses an extension it does not write, or one naming another format than --format", () => {
    expect(() => outputFormat("x.gif", undefined)).toThrow(
      '--out x.gif: thumb writes jpeg, webp, png files, not ".gif"; end the name with .jpg, .jpeg, .webp, .png',
    );
    expect(() => outputFormat("x.gif", "jpeg")).toThrow(/not "\.gif"/);
    expect(() => outputFormat("x.jpg", "png")).toThrow(
      "--out x.jpg names a jpeg file but --format is png; change the extension or --format",
    );
    expect(() => outputFormat("x.png", "webp")).toThrow(/names a png file but --format is webp/);
    expect(() => outputFormat("x.jpg", "gif")).toThrow(
      '--format: unknown "gif"; expected one of jpeg, webp, png',
    );
  });
});

describe("thumb's flags", () => {
  it("checks --quality, --seed, --title and --out before anything is generated", () => {
    expect(usage("--quality", "0", "--out", "t.jpg")).toBe(
      '--quality: expected an integer from 1 to 100, got "0"',
    );
    expect(usage("--quality", "101", "--out", "t.jpg")).toMatch(/^--quality:/);
    expect(usage("--quality", "8.5", "--out", "t.jpg")).toMatch(/^--quality:/);
    expect(usage("--seed", "x", "--out", "t.jpg")).toMatch(/^--seed: expected an integer from 0/);
    expect(usage("--out", "t.gif")).toMatch(/^--out t\.gif:/);
    for (const title of ["  ", "\u0001 \u0002", "\n\t", "\u200b\u200d", "\ufe0f"])
      expect(() => parseThumbArgs(["--title", title, "--out", "t.jpg"], () => {})).toThrow(
        /^--title is required/,
      );
    expect(parse("--quality", "60", "--seed", "7", "--out", "t.webp")).toMatchObject({
      quality: 60,
      seed: 7,
      format: "webp",
      model: { id: "gpt-image-1.5" },
    });
  });

  it("names every bad flag in one run, not the first one only", () => {
    const message = usage("--model", "nope", "--font", "comic", "--quality", "0", "--out", "t.gif");
    expect(message.split("\n")).toEqual([
      expect.stringMatching(/^--model: Unknown image model "nope"/),
      expect.stringMatching(/^--font: unknown "comic"; expected one of /),
      expect.stringMatching(/^--out t\.gif: thumb writes/),
      '--quality: expected an integer from 1 to 100, got "0"',
    ]);
    expect(() => parseThumbArgs(["--style", "nope"], () => {})).toThrow(
      /^--title is required.*\n--out is required.*\n--style: unknown "nope"/,
    );
  });

  it("checks that --out can be written: an existing folder, not a folder itself, writable", () => {
    expect(() => checkOutPath(path.join(dir, "missing", "t.jpg"))).toThrow(/: no folder .*missing$/);
    expect(() => checkOutPath(dir)).toThrow(/is a folder; name the file to write$/);
    writeFileSync(path.join(dir, "file"), "");
    expect(() => checkOutPath(path.join(dir, "file", "t.jpg"))).toThrow(/is not a folder$/);
    expect(() => checkOutPath(path.join(dir, "t.jpg"))).not.toThrow();
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, "locked");
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      expect(() => checkOutPath(path.join(locked, "t.jpg"))).toThrow(/permission denied/);
    }
  });
});

describe("npm run thumb with a paid model", () => {
  let server: Server;
  let calls: string[];
  beforeEach(async () => {
    calls = [];
    server = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterEach(() => new Promise((resolve) => server.close(resolve)));

  const thumb = (args: string[], env: Record<string, string | undefined> = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const port = (server.address() as AddressInfo).port;
      execFile(
        path.resolve("node_modules/.bin/tsx"),
        ["scripts/thumb.ts", ...args],
        { env: { ...process.env, PROVIDER_SIMULATOR_URL: `http://127.0.0.1:${port}`, ...env } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });

  it("lists its flags on --help, and names --help on a bad one", async () => {
    const help = await thumb(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run thumb -- --title "…" --out file\.jpg \[flags\]$/m);
    expect(help.stdout).toMatch(/^ {2}--template {3}bottom-bar, .*\(default bottom-bar\)$/m);
    const bad = await thumb(["--bogus"]);
    expect(bad).toMatchObject({
      code: 2,
      stderr: "thumb: Unknown option '--bogus' (npm run thumb -- --help lists the flags)\n",
    });
    expect(calls).toEqual([]);
  });

  it("exits 2 on a bad flag without calling the provider", async () => {
    for (const bad of [
      ["--quality", "0", "--out", path.join(dir, "t.jpg")],
      ["--out", path.join(dir, "t.gif")],
      ["--format", "png", "--out", path.join(dir, "t.jpg")],
      ["--out", path.join(dir, "missing", "t.jpg")],
    ]) {
      const { code, stderr } = await thumb([...base, ...bad]);
      expect({ bad, code, lines: stderr.trim().split("\n").length }).toEqual({ bad, code: 2, lines: 1 });
      expect(stderr).toMatch(/^thumb: --.*\(npm run thumb -- --help lists the flags\)$/m);
    }
    expect(calls).toEqual([]);
    expect(existsSync(path.join(dir, "t.jpg"))).toBe(false);
  });

  it("names every bad flag, one line each, and exits 2", async () => {
    const { code, stderr } = await thumb([...base, "--font", "comic", "--model", "nope", "--out", "t.jpg"]);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^thumb: --model: Unknown image model "nope"/),
      expect.stringMatching(/^thumb: --font: unknown "comic".*\(npm run thumb -- --help lists the flags\)$/),
    ]);
    expect(calls).toEqual([]);
  });

  it("exits 2 when the model's provider key is not set, naming the variable, and asks nothing", async () => {
    const out = path.join(dir, "t.jpg");
    const env = { PROVIDER_SIMULATOR_URL: undefined, OPENAI_API_KEY: undefined };
    const { code, stderr } = await thumb([...base, "--out", out], env);
    expect({ code, lines: stderr.trim().split("\n").length }).toEqual({ code: 2, lines: 1 });
    expect(stderr).toMatch(/^thumb: Model "gpt-image-1\.5" needs the openai provider.*set OPENAI_API_KEY/);
    expect(existsSync(out)).toBe(false);
  });
});
