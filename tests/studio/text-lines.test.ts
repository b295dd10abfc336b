import { describe, expect, it } from "vitest";
import { lineRange } from "@/lib/studio/text-lines";

describe("lineRange", () => {
  const text = "First\nSecond line\n\nFourth";
  const line = (n: number) => text.slice(...lineRange(text, n));

  it("finds each line, the blank one and the last without a newline", () => {
    expect([0, 1, 2, 3].map(line)).toEqual(["First", "Second line", "", "Fourth"]);
  });

  it("puts a line past the end at the end", () => {
    expect(lineRange(text, 9)).toEqual([text.length, text.length]);
    expect(lineRange("", 0)).toEqual([0, 0]);
  });
});
