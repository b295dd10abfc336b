/**
 * The batch grid's markup, as the server renders it: the same table of rows, headers and cells at
 * every width, with each picture also named by its model for the phone layout, where the column
 * headings are read out but not shown.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BatchGrid } from "@/components/batch/batch-grid";
import { cell } from "../helpers/batch-dto";

const models = ["local-preview", "gpt-image-1.5"];
const labels = { "local-preview": "Preview (offline)", "gpt-image-1.5": "GPT Image 1.5" };

function render() {
  const cells = [0, 1].flatMap((i) =>
    models.map((model) =>
      cell(i, {
        id: `c${i}-${model}`,
        prompt: `Title ${i}`,
        model,
        status: "succeeded",
        imageUrl: `/api/blob/final/${i}-${model}.jpg`,
      }),
    ),
  );
  // The second title's GPT cell is gone (deleted from the gallery): its place still says which model.
  const shown = cells.filter((c) => c.id !== "c1-gpt-image-1.5");
  const html = renderToStaticMarkup(
    createElement(BatchGrid, {
      prompts: ["Title 0", "Title 1"],
      models,
      cells: shown,
      aspect: 16 / 9,
      modelLabels: labels,
    }),
  );
  return html;
}

/** Start tags that have `attr`, in document order (the markup is React's: one form per tag). */
function tags(html: string, attr: string): string[] {
  return Array.from(html.matchAll(/<[a-z]+(?: [^>]*)?>/g), (m) => m[0]).filter((t) => t.includes(attr));
}

describe("the batch grid's markup", () => {
  it("keeps one table: a heading row, then per title a row of its header and one cell per model", () => {
    const html = render();
    const roles = tags(html, "role=").map((t) => /role="([a-z]+)"/.exec(t)?.[1]);
    expect(roles).toEqual(
      ["table", "row", "columnheader", "columnheader", "columnheader"].concat(
        ["row", "rowheader", "cell", "cell"],
        ["row", "rowheader", "cell", "cell"],
      ),
    );
    // Headings only leave the screen on a phone (sr-only), never the accessibility tree (hidden).
    const headings = Array.from(html.matchAll(/role="columnheader"[^>]*>([^<]*)</g), (m) => m[1]);
    expect(headings).toEqual(["Title", "Preview (offline)", "GPT Image 1.5"]);
    for (const t of tags(html, 'role="columnheader"'))
      expect(t).toMatch(/class="sr-only [^"]*sm:not-sr-only/);
  });

  it("names every cell's model in it, shown below the phone breakpoint and left out of the reading", () => {
    const html = render();
    const labels = Array.from(html.matchAll(/<p ([^>]*data-testid="cell-model"[^>]*)>([^<]*)</g), (m) => {
      const attrs = m[1] ?? "";
      return [m[2], attrs.includes('aria-hidden="true"'), / sm:hidden[ "]/.test(attrs)];
    });
    expect(labels).toEqual([
      ["Preview (offline)", true, true],
      ["GPT Image 1.5", true, true],
      ["Preview (offline)", true, true],
      ["GPT Image 1.5", true, true],
    ]);
    expect(html.match(/data-testid="cell-absent"/g)?.length).toBe(1);
    expect(html.match(/data-testid="cell"/g)?.length).toBe(3);
  });
});
