"use client";
/**
 * The gallery's selection: images by id, each with the data the selection bar and the delete dialog need,
 * so a selected image still counts (and still goes into a ZIP or a delete) after a filter hides it.
 */
import { useCallback, useState } from "react";
import type { GalleryImageDto } from "@/lib/gallery/service";

export type Selection = ReadonlyMap<string, GalleryImageDto>;

export function useSelection(initial: readonly GalleryImageDto[]) {
  const [selected, setSelected] = useState<Selection>(() => new Map(initial.map((img) => [img.id, img])));

  const set = useCallback((images: readonly GalleryImageDto[], on: boolean) => {
    setSelected((current) => {
      const changes = images.filter((img) => current.has(img.id) !== on);
      if (changes.length === 0) return current;
      const next = new Map(current);
      for (const img of changes) {
        if (on) next.set(img.id, img);
        else next.delete(img.id);
      }
      return next;
    });
  }, []);

  const remove = useCallback((ids: readonly string[]) => {
    setSelected((current) => {
      const next = new Map(current);
      for (const id of ids) next.delete(id);
      return next.size === current.size ? current : next;
    });
  }, []);

  const clear = useCallback(() => setSelected(new Map()), []);

  return { selected, set, remove, clear };
}
