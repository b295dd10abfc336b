/**
 * Marks the element that opens an item of the lightbox (a grid cell's link): closing the lightbox on that
 * item puts the keyboard there, where the person is in the grid after stepping with the arrows, not on the
 * image they first opened. Server- and client-safe.
 */
export const lightboxOpener = (id: string) => ({ "data-lightbox-opener": id });

/** The selector of the element `lightboxOpener(id)` marks. */
export const openerSelector = (id: string) => `[data-lightbox-opener="${CSS.escape(id)}"]`;
