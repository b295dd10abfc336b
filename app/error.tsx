"use client";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="mx-auto max-w-xl space-y-3 px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-zinc-400">{error.message || "An unexpected error occurred."}</p>
      <button type="button" onClick={reset} className="btn-primary">
        Try again
      </button>
    </main>
  );
}
