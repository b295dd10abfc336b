/**
 * The lightbox's count, as the gallery gives it: past 10,000 matches the count is capped, which no
 * browser test reaches (it would need more than 10,000 images), so each wording is checked here.
 */
import { describe, expect, it } from "vitest";
import { positionCount } from "@/components/lightbox/position";

describe("the lightbox's count after the image's number", () => {
  it("says a capped total as what is loaded of at least the cap", () => {
    const count = { count: 10_000, capped: true };
    expect(positionCount({ loaded: 24, more: true, total: count })).toEqual({
      text: "24 loaded of 10,000+",
    });
  });

  it("says an exact total, never less than what is loaded", () => {
    expect(positionCount({ loaded: 24, more: true, total: { count: 1204, capped: false } })).toEqual({
      text: "1,204",
    });
    expect(positionCount({ loaded: 30, more: true, total: { count: 24, capped: false } })).toEqual({
      text: "30",
    });
  });

  it("says what is loaded, and that more follow, without a total (a page opened at an older page's link)", () => {
    expect(positionCount({ loaded: 24, more: true })).toEqual({ loaded: 24 });
  });

  it("says what is loaded once nothing follows, or within its scope", () => {
    expect(positionCount({ loaded: 6, more: false, total: { count: 10_000, capped: true } })).toEqual({
      text: "6",
    });
    expect(positionCount({ loaded: 100, more: true, countScope: "on page 2" })).toEqual({
      text: "100 on page 2",
    });
  });
});
