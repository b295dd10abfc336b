import { StudioForm } from "@/components/studio/studio-form";
import { studioOptions } from "@/lib/studio/options";

export const dynamic = "force-dynamic";

export default function StudioPage() {
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-4 py-8">
      <div>
        <h1 className="text-2xl font-semibold">New batch</h1>
        <p className="text-sm text-zinc-400">
          Every title × every model becomes one finished thumbnail: generated, cropped to the canvas, titled.
        </p>
      </div>
      <StudioForm options={studioOptions()} />
    </main>
  );
}
