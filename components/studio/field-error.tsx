import type { FieldIssue } from "@/lib/batches/input";

/** Messages for one field: issues whose path is `name` or starts with `name.`. */
export function issuesFor(issues: readonly FieldIssue[], name: string): FieldIssue[] {
  return issues.filter((i) => i.path === name || i.path.startsWith(`${name}.`));
}

export function FieldError({ id, issues }: { id: string; issues: readonly FieldIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-300" role="alert">
      {issues.map((i) => (
        <li key={`${i.path}:${i.message}`}>{i.message}</li>
      ))}
    </ul>
  );
}
