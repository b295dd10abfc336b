/**
 * Accessibility check for any page: injects axe-core (devDependency) and runs the rules for labels, colour
 * contrast and keyboard reachability. Returns violations at or above `minImpact` as readable lines, so a
 * test can `expect(await checkA11y(page)).toEqual([])` and see what is wrong when it fails.
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export type Impact = "minor" | "moderate" | "serious" | "critical";
const order: Impact[] = ["minor", "moderate", "serious", "critical"];

/** axe tags covering names/labels, contrast and keyboard operability (WCAG 2.x A and AA). */
export const A11Y_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

interface AxeResult {
  violations: {
    id: string;
    impact: Impact | null;
    help: string;
    nodes: { target: string[]; failureSummary?: string }[];
  }[];
}

export interface A11yOptions {
  /** Report violations at this impact or worse (default "serious"). */
  minImpact?: Impact;
  /** CSS selector to limit the check to. */
  include?: string;
  /** Rule ids to skip, with a reason in the caller. */
  disableRules?: string[];
}

export async function checkA11y(page: Page, options: A11yOptions = {}): Promise<string[]> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!hasAxe) await page.addScriptTag({ path: axePath });
  const result = (await page.evaluate(
    async ({ tags, include, disable }) => {
      const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
        .axe;
      const rules = Object.fromEntries(disable.map((id) => [id, { enabled: false }]));
      return axe.run(include ? { include: [include] } : document, {
        runOnly: { type: "tag", values: tags },
        rules,
        resultTypes: ["violations"],
      });
    },
    { tags: A11Y_TAGS, include: options.include ?? null, disable: options.disableRules ?? [] },
  )) as AxeResult;
  const min = order.indexOf(options.minImpact ?? "serious");
  return result.violations
    .filter((v) => order.indexOf(v.impact ?? "minor") >= min)
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(" "))
          .join(", ")}${v.nodes.length > 5 ? ` (+${v.nodes.length - 5} more)` : ""}`,
    );
}
