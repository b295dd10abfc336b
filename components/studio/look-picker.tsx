"use client";

import type { FieldIssue } from "@/lib/batches/input";
import type { StudioOptions } from "@/lib/studio/options";
import { FieldError, issuesFor } from "./field-error";
import { OptionCards } from "./option-cards";

export interface LookPickerProps {
  options: Pick<StudioOptions, "templates" | "fonts">;
  template: string;
  font: string;
  onTemplate: (id: string) => void;
  onFont: (id: string) => void;
  /** Canvas aspect ratio of the previews. */
  aspect: number;
  /** URL of a preview rendered by the real compositor for (template, font). */
  preview: (template: string, font: string) => string;
  issues: readonly FieldIssue[];
  /** Prefix of the error elements' ids, when two pickers could share a page. */
  idPrefix?: string;
}

/** Template and font as preview cards: each template shown in the chosen font, each font in the template. */
export function LookPicker(props: LookPickerProps) {
  const { options, template, font, aspect, preview, issues, idPrefix = "" } = props;
  const columns = "grid-cols-2 sm:grid-cols-3 lg:grid-cols-5";
  return (
    <>
      <OptionCards
        name="template"
        legend="Template"
        value={template}
        onChange={props.onTemplate}
        aspect={aspect}
        columns={columns}
        options={options.templates.map((t) => ({
          value: t.value,
          label: t.label,
          description: t.description,
          image: preview(t.value, font),
        }))}
      />
      <FieldError id={`${idPrefix}template-error`} issues={issuesFor(issues, "template")} />
      <OptionCards
        name="font"
        legend="Font"
        value={font}
        onChange={props.onFont}
        aspect={aspect}
        columns={columns}
        options={options.fonts.map((f) => ({
          value: f.value,
          label: f.label,
          hint: f.category,
          image: preview(template, f.value),
        }))}
      />
      <FieldError id={`${idPrefix}font-error`} issues={issuesFor(issues, "font")} />
    </>
  );
}
