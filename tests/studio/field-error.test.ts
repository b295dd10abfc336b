import { describe, expect, it } from "vitest";
import { lineIssues, sentence } from "@/components/studio/field-error";
import { titleProblem } from "@/lib/batches/input";

const shown = (issues: { path: string; message: string }[]) =>
  lineIssues(issues).map((i) => sentence(i.message));

describe("restyle title issues", () => {
  it("names the line of a blank title, counted from 1", () => {
    // The restyle service's wording for a blank line.
    expect(shown([{ path: "prompts.1", message: "title 2 is empty" }])).toEqual(["Line 2: title is empty"]);
  });

  it("names the line once for messages that number the title or do not", () => {
    const invisible = titleProblem("\u200b", 0);
    const long = titleProblem("x".repeat(240), 4);
    expect(invisible).toMatch(/^title 1 /);
    expect(long).toBe("title 5 is 240 characters; the limit is 200");
    expect(
      shown([
        { path: "prompts.0", message: invisible ?? "" },
        { path: "prompts.4", message: long ?? "" },
        { path: "prompts.6", message: "title is wrong somehow" },
      ]),
    ).toEqual([
      `Line 1: ${invisible?.replace(/^title 1 /, "title ")}`,
      "Line 5: title is 240 characters; the limit is 200",
      "Line 7: title is wrong somehow",
    ]);
  });

  it("leaves issues about the whole list as they are", () => {
    const whole = { path: "prompts", message: "expected 2 titles, one for each title of the batch, got 1" };
    expect(lineIssues([whole])).toEqual([whole]);
  });
});
