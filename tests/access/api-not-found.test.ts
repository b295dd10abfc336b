import { describe, expect, it } from "vitest";
import { DELETE, GET, OPTIONS, PATCH, POST, PUT } from "@/app/api/[...path]/route";

describe("an /api/ address no route serves", () => {
  it("answers 404 in JSON, for every method", async () => {
    // OPTIONS too: Next's own would answer 204 allowing every method.
    for (const handler of [GET, POST, PUT, PATCH, DELETE, OPTIONS]) {
      const res = handler(new Request("http://studio.test/api/batches/abc/events/x"));
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: "No API at /api/batches/abc/events/x; see the README's API table.",
        issues: [],
      });
    }
  });
});
