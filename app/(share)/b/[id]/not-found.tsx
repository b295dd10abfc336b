import Link from "next/link";

export default function BatchNotFound() {
  return (
    <main className="mx-auto max-w-xl space-y-3 px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">No such batch</h1>
      <p className="text-zinc-400">The link may be mistyped, or the batch was deleted.</p>
      <Link href="/" className="btn-primary inline-block">
        Start a new batch
      </Link>
    </main>
  );
}
