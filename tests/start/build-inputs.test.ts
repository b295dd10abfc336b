/** `npm start` (and the browser tests) rebuild when anything `next build` compiles changed since the build. */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BUILD_INPUTS } from "../../scripts/lib/processes";

const root = path.resolve(import.meta.dirname, "../..");

describe("the build's inputs", () => {
  it("cover every TypeScript file at the root that the app compiles, the proxy and instrumentation included", () => {
    // Root files that are not part of the app: tool configurations.
    const tools = new Set(["drizzle.config.ts", "vitest.config.ts", "vitest.e2e.config.ts"]);
    const compiled = readdirSync(root).filter(
      (f) => /\.tsx?$/.test(f) && !f.endsWith(".d.ts") && !tools.has(f),
    );
    expect(compiled).toEqual(expect.arrayContaining(["proxy.ts", "instrumentation.ts", "next.config.ts"]));
    for (const file of compiled) expect(BUILD_INPUTS, file).toContain(file);
  });
});
