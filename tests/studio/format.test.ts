import { describe, expect, it } from "vitest";
import { formatUnitPrice, formatUsd } from "@/lib/format";

describe("prices", () => {
  it("shows a price per image to the tenth of a cent where it has one", () => {
    // Gemini's $0.134 read as $0.13, so 60 images looked like $7.80 beside an estimate of $8.04.
    expect(formatUnitPrice(0.134)).toBe("$0.134");
    expect(formatUnitPrice(0.04)).toBe("$0.04");
    expect(formatUnitPrice(0.19)).toBe("$0.19");
    expect(formatUnitPrice(0.005)).toBe("$0.0050");
  });

  it("shows totals in cents, and small amounts to a hundredth of a cent", () => {
    expect(formatUsd(8.04)).toBe("$8.04");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.0042)).toBe("$0.0042");
  });
});
