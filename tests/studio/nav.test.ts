import { describe, expect, it } from "vitest";
import { isCurrentPage, NAV_LINKS } from "@/lib/nav";

const current = (pathname: string | null) =>
  NAV_LINKS.filter((link) => isCurrentPage(pathname, link.href)).map((link) => link.label);

describe("main navigation", () => {
  it("marks the link of the page shown, and only it", () => {
    expect(current("/")).toEqual(["New batch"]);
    expect(current("/batches")).toEqual(["Batches"]);
    expect(current("/gallery")).toEqual(["Gallery"]);
    expect(current("/gallery/")).toEqual(["Gallery"]);
  });

  it("marks none on a page none of them is", () => {
    // A batch page is not the batches list, nor is a page under another's path.
    expect(current("/b/abc")).toEqual([]);
    expect(current("/batches-old")).toEqual([]);
    expect(current("/signin")).toEqual([]);
    expect(current(null)).toEqual([]);
  });
});
