/** The web server's V8 heap limit: added to NODE_OPTIONS unless the user set one. */
import { describe, expect, it } from "vitest";
import { WEB_HEAP_MB, withHeapLimit } from "../../scripts/lib/processes";

describe("withHeapLimit", () => {
  it("adds the limit to empty or other options", () => {
    expect(withHeapLimit(undefined)).toBe(`--max-old-space-size=${WEB_HEAP_MB}`);
    expect(withHeapLimit("")).toBe(`--max-old-space-size=${WEB_HEAP_MB}`);
    expect(withHeapLimit("--enable-source-maps")).toBe(
      `--enable-source-maps --max-old-space-size=${WEB_HEAP_MB}`,
    );
  });

  it("keeps a limit the user set, in either form", () => {
    expect(withHeapLimit("--max-old-space-size=2048")).toBe("--max-old-space-size=2048");
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
});
