/** The web server's V8 heap limit: added to NODE_OPTIONS unless the user set one. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { embeddedKeys } from "../../scripts/lib/embedded-keys";
import { WEB_HEAP_MB, webEnv, withHeapLimit } from "../../scripts/lib/processes";

describe("withHeapLimit", () => {
  it("adds the limit to empty or other options", () => {
    expect(withHeapLimit(undefined)).toBe(`--max-old-space-size=${WEB_HEAP_MB}`);
    expect(withHeapLimit("")).toBe(`--max-old-space-size=${WEB_HEAP_MB}`);
    expect(withHeapLimit("--enable-source-maps")).toBe(
      `--enable-source-maps --max-old-space-size=${WEB_HEAP_MB}`,
    );
  });

  it("keeps a limit the user set, in any form Node takes", () => {
    expect(withHeapLimit("--max-old-space-size=2048")).toBe("--max-old-space-size=2048");
    expect(withHeapLimit("--max_old_space_size=2048")).toBe("--max_old_space_size=2048");
    expect(withHeapLimit("--trace-warnings --max-old-space-size 1024")).toBe(
      "--trace-warnings --max-old-space-size 1024",
    );
  });

  it("keeps a limit set as a percentage of memory (Node 22 and later)", () => {
    expect(withHeapLimit("--max-old-space-size-percentage=50")).toBe("--max-old-space-size-percentage=50");
  });

  it("is not fooled by another heap flag", () => {
    expect(withHeapLimit("--max-semi-space-size=16")).toBe(
      `--max-semi-space-size=16 --max-old-space-size=${WEB_HEAP_MB}`,
    );
  });

  it("is what the web server gets, with the user's other options", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "web-env-"));
    try {
      const o = { port: 3999, engineUrl: "http://127.0.0.1:8999", dataDir, keys: embeddedKeys(dataDir) };
      // Inherited from this process (empty unless the test run sets it), or given to the stack.
      expect(webEnv(o).NODE_OPTIONS).toBe(withHeapLimit(process.env.NODE_OPTIONS));
      expect(webEnv({ ...o, env: { NODE_OPTIONS: "--trace-warnings" } }).NODE_OPTIONS).toBe(
        `--trace-warnings --max-old-space-size=${WEB_HEAP_MB}`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
