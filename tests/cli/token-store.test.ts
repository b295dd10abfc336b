/** The CLI's owner-token store: where it lives, who may read it, and that saves replace the file whole. */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeDir, TokenStore, type Env } from "../../scripts/lib/token-store";

let home: string;
let env: Env;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), "token-store-"));
  env = { XDG_CONFIG_HOME: path.join(home, "config"), HOME: path.join(home, "home") };
});

afterEach(() => rmSync(home, { recursive: true, force: true }));

const mode = (p: string) => statSync(p).mode & 0o777;

describe("TokenStore", () => {
  it("lives under $XDG_CONFIG_HOME, else ~/.config (a relative XDG_CONFIG_HOME is ignored)", () => {
    expect(storeDir(env)).toBe(path.join(home, "config", "thumbnail-studio"));
    expect(storeDir({ HOME: "/h" })).toBe("/h/.config/thumbnail-studio");
    expect(storeDir({ HOME: "/h", XDG_CONFIG_HOME: "rel" })).toBe("/h/.config/thumbnail-studio");
  });

  it("says which of many batches it holds tokens for on one app, reading the file once", () => {
    const store = new TokenStore(env);
    expect(store.owned("http://127.0.0.1:3000", ["a", "b"])).toEqual(new Set());
    store.save("http://127.0.0.1:3000", "a", "token-a");
    store.save("http://127.0.0.1:3000", "c", "token-c");
    store.save("http://127.0.0.1:4000", "b", "token-b");
    expect(store.owned("http://127.0.0.1:3000/b/x", ["a", "b", "c", "d"])).toEqual(new Set(["a", "c"]));
    writeFileSync(store.file, "not json");
    expect(store.owned("http://127.0.0.1:3000", ["a"])).toEqual(new Set());
  });

  it("keeps tokens per app origin and batch id, in a 0600 file inside a 0700 folder", () => {
    const store = new TokenStore(env);
    expect(store.get("http://127.0.0.1:3000", "a")).toBeNull();
    store.save("http://127.0.0.1:3000/b/a", "a", "token-a");
    store.save("http://127.0.0.1:3000", "b", "token-b");
    store.save("https://thumbs.test", "a", "token-remote");
    expect(store.get("http://127.0.0.1:3000", "a")).toBe("token-a");
    expect(store.get("http://127.0.0.1:3000/anything", "b")).toBe("token-b");
    expect(store.get("https://thumbs.test", "a")).toBe("token-remote");
    expect(store.get("http://127.0.0.1:3001", "a")).toBeNull();
    expect(mode(store.file)).toBe(0o600);
    expect(mode(store.dir)).toBe(0o700);
    // A second store object reads what the first wrote; saving again replaces the entry.
    new TokenStore(env).save("http://127.0.0.1:3000", "a", "token-a2");
    expect(store.get("http://127.0.0.1:3000", "a")).toBe("token-a2");
    const file = JSON.parse(readFileSync(store.file, "utf8")) as { tokens: Record<string, unknown> };
    expect(Object.keys(file.tokens).sort()).toEqual([
      "http://127.0.0.1:3000 a",
      "http://127.0.0.1:3000 b",
      "https://thumbs.test a",
    ]);
  });

  it("keeps only the newest entries past its limit, dropping the oldest saved", () => {
    const store = new TokenStore(env, 3);
    const app = "http://127.0.0.1:3000";
    store.save(app, "first", "t1");
    writeFileSync(
      store.file,
      JSON.stringify({
        version: 1,
        tokens: {
          [`${app} old`]: { token: "t0", savedAt: "2020-01-01T00:00:00.000Z" },
          [`${app} first`]: { token: "t1", savedAt: "2026-01-01T00:00:00.000Z" },
        },
      }),
    );
    store.save(app, "second", "t2");
    store.save(app, "third", "t3");
    expect(["old", "first", "second", "third"].map((id) => store.get(app, id))).toEqual([
      null,
      "t1",
      "t2",
      "t3",
    ]);
  });

  it("writes through a temporary file and rename, leaving no temporary or lock file behind", () => {
    const store = new TokenStore(env);
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(store.file, '{"version":1,"tokens":{}}', { mode: 0o644 });
    store.save("http://h", "x", "t");
    expect(readdirSync(store.dir)).toEqual(["owner-tokens.json"]);
    // The new file is the renamed temporary: 0600 even though the old one was world-readable.
    expect(mode(store.file)).toBe(0o600);
  });

  it("treats an unreadable file as empty and replaces it on the next save", () => {
    const store = new TokenStore(env);
    mkdirSync(store.dir, { recursive: true });
    writeFileSync(store.file, "{not json");
    expect(store.get("http://h", "x")).toBeNull();
    store.save("http://h", "x", "t");
    expect(store.get("http://h", "x")).toBe("t");
  });

  it("waits for another CLI's lock, and takes over a lock left behind by a killed one", () => {
    const store = new TokenStore(env);
    mkdirSync(store.dir, { recursive: true });
    const lock = `${store.file}.lock`;
    writeFileSync(lock, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    store.save("http://h", "x", "t");
    expect(store.get("http://h", "x")).toBe("t");
    expect(readdirSync(store.dir)).toEqual(["owner-tokens.json"]);
  });

  it("says why when the folder cannot be written", () => {
    writeFileSync(path.join(home, "config"), "a file where the folder should be");
    expect(() => new TokenStore(env).save("http://h", "x", "t")).toThrow(/EEXIST|ENOTDIR/);
  });
});
