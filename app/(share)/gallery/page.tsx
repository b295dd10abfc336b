import type { Metadata } from "next";
import Link from "next/link";
import { GalleryGrid } from "@/components/gallery/gallery-grid";
import { parseImageQuery } from "@/lib/gallery/query";
import { galleryPage } from "@/lib/gallery/service";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Gallery" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GalleryPage({ searchParams }: Props) {
  const sp = await searchParams;
  const flat = Object.fromEntries(Object.entries(sp).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const query = parseImageQuery(flat);
  const page = query.ok ? await galleryPage({ ...query.value, limit: query.value.limit ?? 24 }) : null;
  const problem = !query.ok
    ? query.issues.map((i) => i.message).join("; ")
    : page && !page.ok
      ? page.error
      : null;
  const next =
    page?.ok && page.nextCursor
      ? new URLSearchParams({ ...stripUndefined(flat), cursor: page.nextCursor })
      : null;
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-semibold">Gallery</h1>
      {problem ? (
        <p role="alert" className="text-red-300">
          {problem}
        </p>
      ) : null}
      {page?.ok ? (
        page.images.length === 0 ? (
          <div className="rounded-lg border border-dashed border-zinc-800 p-12 text-center text-zinc-400">
            No images yet.{" "}
            <Link href="/" className="text-sky-400 underline">
              Start a batch
            </Link>
          </div>
        ) : (
          <GalleryGrid images={page.images} />
        )
      ) : null}
      {next ? (
        <Link href={`/gallery?${next.toString()}`} className="btn-secondary inline-block">
          Older images
        </Link>
      ) : null}
    </main>
  );
}

function stripUndefined(o: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== "cursor"),
  );
}
