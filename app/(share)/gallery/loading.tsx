import { SkeletonCards, gridClass } from "@/components/gallery/gallery-states";

export default function GalleryLoading() {
  return (
    <main className="mx-auto max-w-7xl space-y-5 px-4 py-8" aria-busy="true">
      <h1 className="text-2xl font-semibold tracking-tight">Gallery</h1>
      <div className="h-[4.5rem] animate-pulse rounded-xl border border-zinc-800 bg-zinc-900/60" />
      <ul className={gridClass} aria-label="Loading images">
        <SkeletonCards count={8} />
      </ul>
    </main>
  );
}
