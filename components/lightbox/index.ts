export { Lightbox, MetaRow, type LightboxItem, type LightboxProps } from "./lightbox";
export {
  CellLightbox,
  CellLightboxMeta,
  cellLightboxItems,
  type CellLightboxItem,
  type CellLightboxProps,
} from "./cell-lightbox";
