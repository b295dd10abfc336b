/** Human labels for catalog ids (falls back to the id for anything the catalog no longer lists). */
export interface Option {
  value: string;
  label: string;
}

export interface Labels {
  model(id: string): string;
  style(id: string): string;
  template(id: string): string;
  font(id: string): string;
  date(iso: string): string;
}

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function makeLabels(options: {
  models: Option[];
  styles: Option[];
  templates: Option[];
  fonts?: Option[];
}): Labels {
  const lookup = (list: Option[]) => {
    const map = new Map(list.map((o) => [o.value, o.label]));
    return (id: string) => map.get(id) ?? id;
  };
  return {
    model: lookup(options.models),
    style: lookup(options.styles),
    template: lookup(options.templates),
    font: lookup(options.fonts ?? []),
    // A fixed zone and locale: the server and the browser render the same text (no hydration mismatch).
    date: (iso) => `${dateFormat.format(new Date(iso))} UTC`,
  };
}
