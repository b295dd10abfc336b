import { describe, expect, it } from "vitest";
import { formatCount, formatMs, formatUsd, plural } from "@/lib/format";

describe("amounts of money", () => {
  it("shows a price per image to the tenth of a cent where it has one", () => {
    // Gemini's $0.134 read as $0.13, so 60 images looked like $7.80 beside an estimate of $8.04.
    expect(formatUsd(0.134)).toBe("$0.134");
    expect(formatUsd(0.04)).toBe("$0.04");
    expect(formatUsd(0.19)).toBe("$0.19");
    // A float sum a hair off a whole cent is that cent.
    expect(formatUsd(0.1 + 0.2)).toBe("$0.30");
    expect(formatUsd(60 * 0.134)).toBe("$8.04");
  });

  it("shows totals, budgets and what is left of them as truly as prices: never a sub-cent one rounded", () => {
    expect(formatUsd(8.04)).toBe("$8.04");
    expect(formatUsd(5)).toBe("$5.00");
    expect(formatUsd(0)).toBe("$0.00");
    // A budget set before budgets below a cent were refused read "$0.01", or "$0.0050".
    expect(formatUsd(0.005)).toBe("$0.005");
    expect(formatUsd(0.015)).toBe("$0.015");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatUsd(0.00999)).toBe("$0.01");
    // Never "$0.00" for an amount that is not nothing.
    expect(formatUsd(0.00001)).toBe("$0.0000");
  });

  it("shows amounts from $10 on in cents, thousands separated: a tenth of a cent there is noise", () => {
    // A big batch's estimate read "$129.936", and a four-digit one "$1299.94".
    expect(formatUsd(129.936)).toBe("$129.94");
    expect(formatUsd(1000.5)).toBe("$1,000.50");
    expect(formatUsd(12_345.678)).toBe("$12,345.68");
    expect(formatUsd(9.995)).toBe("$9.995");
    expect(formatUsd(10)).toBe("$10.00");
  });
});

describe("counts and durations", () => {
  it("separates thousands in counts", () => {
    expect(formatCount(1600)).toBe("1,600");
    expect(plural(5997, "image")).toBe("5,997 images");
    expect(plural(1, "title")).toBe("1 title");
    expect(plural(999, "title")).toBe("999 titles");
  });

  it("says a long time in hours and minutes, not minutes and seconds", () => {
    expect(formatMs(850)).toBe("850 ms");
    expect(formatMs(12_340)).toBe("12.3 s");
    expect(formatMs(125_000)).toBe("2 min 5 s");
    expect(formatMs(145 * 60_000 + 50_000)).toBe("2 h 26 min");
    expect(formatMs(3_600_000)).toBe("1 h 0 min");
  });
});
