import { describe, expect, it } from "vitest";
import { notModified } from "@/lib/http";

const withTag = (value?: string) =>
  new Request(
    "http://studio.test/api/blob/x",
    value === undefined ? {} : { headers: { "if-none-match": value } },
  );

describe("If-None-Match", () => {
  const etag = '"abc123"';

  it("matches the tag, weakly, in a list, or any tag", () => {
    // Caches and proxies send these forms; only an exact single tag matched before.
    for (const header of ['"abc123"', 'W/"abc123"', '"other", "abc123"', '"x",W/"abc123"', "*"])
      expect(notModified(withTag(header), etag), header).toBe(true);
  });

  it("does not match another tag, or no header", () => {
    for (const header of ['"abc124"', 'W/"abc"', '"abc123', ""])
      expect(notModified(withTag(header), etag), header).toBe(false);
    expect(notModified(withTag(), etag)).toBe(false);
  });
});
