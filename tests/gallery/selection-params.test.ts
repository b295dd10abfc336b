/** The small parsers behind the no-JavaScript selection: ids in the URL, the delete notice, the way back. */
import { describe, expect, it } from "vitest";
import { galleryHref } from "@/lib/gallery/form-result";
import { crossSite } from "@/lib/http";
import { deleteNotice, readDeleteNotice } from "@/lib/gallery/notice";
import { readSelectedIds } from "@/lib/gallery/selection";

describe("readSelectedIds", () => {
  it("takes repeated and comma-separated ids, drops malformed ones and duplicates, caps at 500", () => {
    expect(readSelectedIds(["a,b", "b", " c ", "<x>", ""])).toEqual(["a", "b", "c"]);
    expect(readSelectedIds("a,,a")).toEqual(["a"]);
    expect(readSelectedIds(undefined)).toEqual([]);
    const many = Array.from({ length: 600 }, (_, i) => `id${i}`).join(",");
    expect(readSelectedIds(many)).toHaveLength(500);
  });
});

describe("delete notice", () => {
  it("says what was deleted and what was not", () => {
    expect(deleteNotice(3, 0)).toBe("Deleted 3 images.");
    expect(deleteNotice(1, 1)).toBe(
      "Deleted 1 image. 1 image was not deleted: a new take is under way, or it is already gone.",
    );
    expect(deleteNotice(0, 2)).toBe(
      "Nothing was deleted. 2 images were not deleted: a new take is under way, or they are already gone.",
    );
    expect(readDeleteNotice({ deleted: "2", skipped: "0" })).toBe("Deleted 2 images.");
    expect(readDeleteNotice({ deleted: "lots" })).toBeNull();
    expect(readDeleteNotice({ style: "anime" })).toBeNull();
  });
});

describe("galleryHref", () => {
  it("keeps only the gallery's own fields, in a stable order, and always points at /gallery", () => {
    const form = new FormData();
    for (const [k, v] of [
      ["ids", "a"],
      ["to", "2026-01-02"],
      ["style", "anime"],
      ["limit", "12"],
      ["token", "secret"],
      ["next", "https://evil.test"],
    ])
      form.append(k as string, v as string);
    expect(galleryHref(form)).toBe("/gallery?style=anime&to=2026-01-02&limit=12");
    expect(galleryHref(new FormData(), { deleted: "1" })).toBe("/gallery?deleted=1");
    // The batch filter's search comes back too, or the batch list would fall back to the newest 50.
    form.append("batchq", " anime ");
    expect(galleryHref(form, { deleted: "1" })).toBe(
      "/gallery?style=anime&to=2026-01-02&batchq=anime&limit=12&deleted=1",
    );
    expect(galleryHref(new FormData())).toBe("/gallery");
  });
});

describe("crossSite", () => {
  const h = (init: Record<string, string>) => new Headers(init);
  it("trusts Sec-Fetch-Site, else compares Origin with the host", () => {
    expect(crossSite(h({ "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(crossSite(h({ "sec-fetch-site": "same-site" }))).toBe(true);
    expect(crossSite(h({ origin: "http://a.test:3000", host: "a.test:3000" }))).toBe(false);
    expect(crossSite(h({ origin: "http://b.test", host: "a.test" }))).toBe(true);
    expect(crossSite(h({ origin: "null", host: "a.test" }))).toBe(true);
    // Scripts and curl send neither: the admin token (production) is their gate.
    expect(crossSite(h({ host: "a.test" }))).toBe(false);
  });
});
