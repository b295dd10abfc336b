import { StudioForm, type StudioStart } from "@/components/studio/studio-form";
import { readBatch } from "@/lib/batches/service";
import { valuesFromBatch } from "@/lib/studio/draft";
import { studioOptions } from "@/lib/studio/options";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The studio; `?from=<batch id>` starts the form from that batch's titles and settings. */
export default async function StudioPage({ searchParams }: Props) {
  const from = (await searchParams).from;
  const options = studioOptions();
  let start: StudioStart | undefined;
  if (typeof from === "string" && from !== "") {
    const found = await readBatch(from);
    start = found
      ? {
          values: valuesFromBatch(found.batch, options),
          from: {
            id: found.batch.id,
            title: found.batch.prompts[0] ?? "",
            titles: found.batch.prompts.length,
          },
        }
      : { error: `There is no batch "${from.slice(0, 64)}" to start from: the form starts empty.` };
  }
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-4 py-8">
      <div>
        <h1 className="text-2xl font-semibold">New batch</h1>
        <p className="text-sm text-zinc-400">
          Every title × every model becomes one finished thumbnail: generated, cropped to the canvas, titled.
        </p>
      </div>
      <StudioForm options={options} start={start} />
    </main>
  );
}
