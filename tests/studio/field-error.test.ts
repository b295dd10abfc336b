import { describe, expect, it } from "vitest";
import { lineIssues, sentence } from "@/components/studio/field-error";
import { titleProblem } from "@/lib/batches/input";

const shown = (issues: { path: string; message: string }[]) =>
  lineIssues(issues).map((i) => sentence(i.message));

describe("restyle title issues", () => {
  it("names the line of a blank title, counted from 1", () => {
    // The restyle service's wording for a blank line; alone it left the person to find which one.
    expect(shown([{ path: "prompts.1", message: "a title cannot be empty" }])).toEqual([
      "Line 2: title cannot be empty",
    ]);
  });

  it("names the line once for messages that number the title or do not", () => {
    const invisible = titleProblem("\u200b", 0);
    const long = titleProblem("x".repeat(240), 4);
    expect(invisible).toMatch(/^title 1 /);
    expect(long).toMatch(/^title (?!5)/);
    expect(
      shown([
        { path: "prompts.0", message: invisible ?? "" },
        { path: "prompts.4", message: long ?? "" },
      ]),
    ).toEqual([`Line 1: ${invisible?.replace(/^title 1 /, "title ")}`, `Line 5: ${long}`]);
  });

  it("leaves issues about the whole list as they are", () => {
    const whole = { path: "prompts", message: "expected 2 titles, one for each title of the batch, got 1" };
    expect(lineIssues([whole])).toEqual([whole]);
  });
});
