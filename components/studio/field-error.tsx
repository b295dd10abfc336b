import type { FieldIssue } from "@/lib/batches/input";

/** Messages for one field: issues whose path is `name` or starts with `name.`. */
export function issuesFor(issues: readonly FieldIssue[], name: string): FieldIssue[] {
  return issues.filter((i) => i.path === name || i.path.startsWith(`${name}.`));
}

/** The API's messages start in lower case ("title 3 is 240 characters; …"); on the page they are sentences. */
export const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * Issues about single titles (`prompts.1`) as the restyle form's one textarea needs them: each names its line,
 * counted from 1. The message's own "title 2" is dropped for the line number (they are the same).
 */
export function lineIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.map((i) => {
    const index = /^prompts\.(\d+)$/.exec(i.path)?.[1];
    if (index === undefined) return i;
    const message = i.message.replace(/^(?:a )?title(?: \d+)? /, "title ");
    return { ...i, message: `line ${Number(index) + 1}: ${message}` };
  });
}

/**
 * The first `max` issues and, past them, one saying how many more there are: a paste of 2,000 lines
 * with hundreds too long would otherwise list every one of them in a single alert.
 */
export function firstIssues(issues: readonly FieldIssue[], max = 10): FieldIssue[] {
  if (issues.length <= max) return [...issues];
  const rest = issues.length - max;
  const more = rest === 1 ? "1 more line has a problem" : `${rest} more lines have problems`;
  return [
    ...issues.slice(0, max),
    { path: "more", message: `${more}: "Edit as list" shows each under its title` },
  ];
}

export function FieldError({ id, issues }: { id: string; issues: readonly FieldIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-300" role="alert">
      {issues.map((i) => (
        <li key={`${i.path}:${i.message}`}>{sentence(i.message)}</li>
      ))}
    </ul>
  );
}
