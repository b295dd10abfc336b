import { describe, expect, it } from "vitest";
import { notModified, readJson } from "@/lib/http";

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

describe("JSON bodies", () => {
  const send = (type: string) =>
    readJson(
      new Request("http://studio.test/api/batches", {
        method: "POST",
        headers: { "content-type": type },
        body: "{}",
      }),
    );

  it("takes application/json with parameters, in any case, and JSON subtypes", async () => {
    for (const type of [
      "application/json",
      "application/json; charset=utf-8",
      "Application/JSON",
      "application/merge-patch+json",
    ])
      expect((await send(type)).ok, type).toBe(true);
  });

  it("refuses other media types that merely mention JSON", async () => {
    for (const type of ["text/plain; x=application/json", "text/application/json", "application/jsonp"]) {
      const read = await send(type);
      expect(read.ok, type).toBe(false);
      if (!read.ok) expect(read.response.status).toBe(415);
    }
  });
});
