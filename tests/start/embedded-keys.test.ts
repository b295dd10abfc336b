import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signingKeyProblem } from "@/engine/auth";
import { embeddedKeys, KEYS_FILE, webKeyEnv } from "../../scripts/lib/embedded-keys";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "keys-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("embedded Inngest keys", () => {
  it("are made once per data dir (also one created before keys existed) and then kept", () => {
    const dir = path.join(tmp(), "fresh", ".data");
    const first = embeddedKeys(dir);
    expect(signingKeyProblem(first.signingKey)).toBeUndefined();
    expect(first.eventKey).toMatch(/^[0-9a-f]{64}$/);
    expect(embeddedKeys(dir)).toEqual(first);
    expect(statSync(path.join(dir, KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(embeddedKeys(tmp())).not.toEqual(first);
  });

  it("refuse a damaged key file with a line saying what to do", () => {
    const dir = tmp();
    writeFileSync(path.join(dir, KEYS_FILE), '{"signingKey":"x"}');
    expect(() => embeddedKeys(dir)).toThrow(/inngest-keys\.json does not hold .*delete it and start again/);
    writeFileSync(path.join(dir, KEYS_FILE), "");
    expect(() => embeddedKeys(dir)).toThrow(/delete it/);
    expect(readFileSync(path.join(dir, KEYS_FILE), "utf8")).toBe("");
  });

  it("put the web app in cloud mode against the engine, replacing the shell's Inngest settings", () => {
    const keys = embeddedKeys(tmp());
    const env = webKeyEnv(keys, "http://127.0.0.1:8288");
    expect(env).toEqual({
      INNGEST_DEV: "0",
      INNGEST_BASE_URL: "http://127.0.0.1:8288",
      INNGEST_API_BASE_URL: "http://127.0.0.1:8288",
      INNGEST_EVENT_API_BASE_URL: "http://127.0.0.1:8288",
      INNGEST_SIGNING_KEY: keys.signingKey,
      INNGEST_SIGNING_KEY_FALLBACK: undefined,
      INNGEST_EVENT_KEY: keys.eventKey,
    });
  });
});
