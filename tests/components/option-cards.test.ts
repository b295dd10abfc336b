/**
 * Option cards (template, font, style): a card with a description gives its radio that description,
 * read after the short label that names it, and a tooltip, without changing the name.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OptionCards } from "@/components/studio/option-cards";
import { TEMPLATES } from "@/lib/catalog/templates";

describe("option cards", () => {
  it("describe each template's radio with the catalog's description", () => {
    const html = renderToStaticMarkup(
      createElement(OptionCards, {
        name: "template",
        legend: "Template",
        value: TEMPLATES[0]!.id,
        onChange: () => {},
        options: TEMPLATES.map((t) => ({ value: t.id, label: t.label, description: t.description })),
      }),
    );
    const text = (s: string) =>
      s
        .replace(/&#x27;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
    const labels = html.split("<label").slice(1);
    expect(labels).toHaveLength(TEMPLATES.length);
    for (const [i, label] of labels.entries()) {
      const t = TEMPLATES[i]!;
      expect(label).toContain(`value="${t.id}"`);
      expect(text(/title="([^"]*)"/.exec(label)?.[1] ?? "")).toBe(t.description);
      const id = /aria-describedby="([^"]+)"/.exec(label)?.[1];
      expect(id).toBeTruthy();
      const described = new RegExp(`<span id="${id}" class="sr-only">([^<]*)</span>`).exec(label)?.[1];
      expect(text(described ?? "")).toBe(t.description);
    }
  });

  it("leave a card without a description undescribed", () => {
    const html = renderToStaticMarkup(
      createElement(OptionCards, {
        name: "font",
        legend: "Font",
        value: "inter",
        onChange: () => {},
        options: [{ value: "inter", label: "Inter" }],
      }),
    );
    expect(html).not.toContain("aria-describedby");
    expect(html).not.toContain("title=");
  });
});
