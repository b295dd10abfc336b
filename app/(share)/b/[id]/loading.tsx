export default function Loading() {
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-8" aria-busy="true">
      <div className="h-7 w-64 animate-pulse rounded bg-zinc-800" />
      <div className="h-2 animate-pulse rounded bg-zinc-800" />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="aspect-[1200/630] animate-pulse rounded-lg bg-zinc-800" />
        ))}
      </div>
    </main>
  );
}
