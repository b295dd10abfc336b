import { describe, expect, it } from "vitest";
import { DELETE, GET, POST } from "@/app/api/[...path]/route";

describe("an /api/ address no route serves", () => {
  it("answers 404 in JSON, for every method", async () => {
    for (const handler of [GET, POST, DELETE]) {
      const res = handler(new Request("http://studio.test/api/batches/abc/events/x"));
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: "No API at /api/batches/abc/events/x; see the README's API table.",
        issues: [],
      });
    }
  });
});
