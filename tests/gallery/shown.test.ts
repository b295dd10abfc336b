import { describe, expect, it } from "vitest";
import { shownText } from "@/lib/gallery/shown";

describe("the gallery's count line", () => {
  it("says how many are shown of how many the filters match", () => {
    expect(shownText(24, { count: 1204, capped: false })).toBe("24 of 1,204 images shown");
    expect(shownText(1, { count: 5, capped: false })).toBe("1 of 5 images shown");
  });

  it("says a count stopped at its cap is more", () => {
    expect(shownText(24, { count: 10_000, capped: true })).toBe("24 of 10,000+ images shown");
  });

  it("says only how many are shown once all are, or without a count (a page opened at a cursor)", () => {
    expect(shownText(6, { count: 6, capped: false })).toBe("6 images shown");
    expect(shownText(1, { count: 1, capped: false })).toBe("1 image shown");
    // Images that came in after the count: never "7 of 6".
    expect(shownText(7, { count: 6, capped: false })).toBe("7 images shown");
    expect(shownText(2000, null)).toBe("2,000 images shown");
    expect(shownText(0, undefined)).toBe("0 images shown");
  });
});
