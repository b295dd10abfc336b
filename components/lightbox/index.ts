export { Lightbox, MetaRow, type LightboxItem, type LightboxProps } from "./lightbox";
export { lightboxOpener } from "./opener";
export {
  CellLightbox,
  CellLightboxMeta,
  cellLightboxItems,
  type CellLightboxItem,
  type CellLightboxProps,
} from "./cell-lightbox";
