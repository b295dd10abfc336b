import Link from "next/link";
import type { GalleryImageDto } from "@/lib/gallery/service";

export function GalleryGrid({ images }: { images: GalleryImageDto[] }) {
  return (
    <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" data-testid="gallery">
      {images.map((img) => (
        <li
          key={img.id}
          className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-900"
          data-testid="gallery-image"
        >
          <a
            href={img.url}
            className="block bg-zinc-800"
            style={{ aspectRatio: `${img.width ?? 1200} / ${img.height ?? 630}` }}
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- finals are served at their own size */}
            <img src={img.url} alt={img.prompt} loading="lazy" className="h-full w-full object-cover" />
          </a>
          <div className="space-y-0.5 p-2 text-xs text-zinc-400">
            <p className="line-clamp-2 text-sm text-zinc-200">{img.prompt}</p>
            <p>
              {img.model} · {img.style} · {img.template} ·{" "}
              <Link href={`/b/${img.batchId}`} className="text-sky-400 hover:underline">
                batch
              </Link>
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}
