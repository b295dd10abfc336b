/**
 * The batch's progress bar in parts: a batch cancelled halfway is not drawn full, and its failures show.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ProgressBar } from "@/components/batch/progress-bar";
import { countCells } from "@/lib/batches/dto";
import type { CellStatus } from "@/lib/db/schema";

const render = (statuses: CellStatus[]) =>
  renderToStaticMarkup(
    createElement(ProgressBar, { counts: countCells(statuses.map((status) => ({ status }))) }),
  );

/** Each part's name and width, in order. */
const parts = (html: string) =>
  Array.from(html.matchAll(/data-part="([a-z]+)" [^>]*style="width:([0-9.]+)%"/g), (m) => [
    m[1],
    Number(m[2]),
  ]);

describe("the batch progress bar", () => {
  it("gives made, failed and cancelled cells their own share", () => {
    const html = render([
      "succeeded",
      "succeeded",
      "succeeded",
      "failed",
      "cancelled",
      "cancelled",
      "cancelled",
      "cancelled",
    ]);
    expect(parts(html)).toEqual([
      ["succeeded", 37.5],
      ["failed", 12.5],
      ["cancelled", 50],
    ]);
    expect(html).toContain('aria-valuenow="100"');
    expect(html).toContain('aria-valuetext="8 of 8 ended: 3 succeeded, 1 failed, 4 cancelled"');
  });

  it("leaves the cells still to make empty, and draws nothing for none", () => {
    const html = render(["succeeded", "running", "queued", "retrying"]);
    expect(parts(html)).toEqual([["succeeded", 25]]);
    expect(html).toContain('aria-valuenow="25"');
    expect(parts(render([]))).toEqual([]);
  });
});
