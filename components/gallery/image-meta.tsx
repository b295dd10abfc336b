"use client";
import Link from "next/link";
import { MetaRow } from "@/components/lightbox";
import type { GalleryImageDto } from "@/lib/gallery/service";
import type { Labels } from "./labels";

/** The gallery's metadata panel in the lightbox. */
export function GalleryImageMeta({ image, labels }: { image: GalleryImageDto; labels: Labels }) {
  return (
    <dl className="divide-y divide-zinc-800">
      <MetaRow term="Prompt">
        <bdi>{image.prompt}</bdi>
      </MetaRow>
      <MetaRow term="Model">{labels.model(image.model)}</MetaRow>
      <MetaRow term="Style">{labels.style(image.style)}</MetaRow>
      <MetaRow term="Template">{labels.template(image.template)}</MetaRow>
      <MetaRow term="Font">{labels.font(image.font)}</MetaRow>
      {image.width && image.height ? (
        <MetaRow term="Size">
          {image.width} × {image.height}
        </MetaRow>
      ) : null}
      <MetaRow term="Batch">
        <Link href={`/b/${image.batchId}`} className="text-sky-400 hover:underline">
          Open batch
        </Link>
      </MetaRow>
      <MetaRow term="Created">
        <time dateTime={image.createdAt}>{labels.date(image.createdAt)}</time>
      </MetaRow>
    </dl>
  );
}
