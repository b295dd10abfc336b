import { describe, expect, it } from "vitest";
import { firstIssues, lineIssues, sentence } from "@/components/studio/field-error";
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

describe("many title issues in one list", () => {
  const issue = (i: number) => ({ path: `prompts.${i}`, message: `title ${i + 1} is 240 characters` });

  it("lists up to ten as they are", () => {
    const ten = Array.from({ length: 10 }, (_, i) => issue(i));
    expect(firstIssues(ten)).toEqual(ten);
  });

  it("lists the first ten of more, then how many more and where each is shown", () => {
    const many = Array.from({ length: 500 }, (_, i) => issue(i));
    const shown = firstIssues(many);
    expect(shown.slice(0, 10)).toEqual(many.slice(0, 10));
    expect(shown.slice(10).map((i) => sentence(i.message))).toEqual([
      '490 more lines have problems: "Edit as list" shows each under its title',
    ]);
    expect(firstIssues(many.slice(0, 11)).at(-1)?.message).toMatch(/^1 more line has a problem:/);
  });
});
