import { inflateSync } from "node:zlib";

const WOFF_SIGNATURE = 0x774f4646; // "wOFF"
const WOFF_HEADER = 44;
const WOFF_ENTRY = 20;

/**
 * Rebuilds the plain sfnt (TrueType/OpenType) bytes a WOFF 1.0 file wraps: HarfBuzz reads sfnt
 * only, and the shipped fallback fonts are WOFF. Tables are copied in directory order, inflated
 * when stored compressed, and padded to 4 bytes as the sfnt layout requires. Anything that is not
 * WOFF is returned as it is.
 */
export function woffToSfnt(bytes: Uint8Array): Uint8Array {
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < WOFF_HEADER || src.getUint32(0) !== WOFF_SIGNATURE) return bytes;
  const flavor = src.getUint32(4);
  const numTables = src.getUint16(12);
  if (WOFF_HEADER + numTables * WOFF_ENTRY > bytes.byteLength)
    throw new Error("WOFF: truncated table directory");

  const tables: { tag: number; checksum: number; data: Uint8Array }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = WOFF_HEADER + i * WOFF_ENTRY;
    const offset = src.getUint32(at + 4);
    const compLength = src.getUint32(at + 8);
    const origLength = src.getUint32(at + 12);
    if (offset + compLength > bytes.byteLength) throw new Error("WOFF: table data past the end of the file");
    const stored = bytes.subarray(offset, offset + compLength);
    const data = compLength < origLength ? new Uint8Array(inflateSync(stored)) : stored;
    if (data.byteLength !== origLength)
      throw new Error("WOFF: table length does not match its directory entry");
    tables.push({ tag: src.getUint32(at), checksum: src.getUint32(at + 16), data });
  }

  const headerSize = 12 + 16 * numTables;
  const total = tables.reduce((n, t) => n + pad4(t.data.byteLength), headerSize);
  const out = new Uint8Array(total);
  const dst = new DataView(out.buffer);
  const entrySelector = Math.floor(Math.log2(Math.max(1, numTables)));
  const searchRange = 16 * 2 ** entrySelector;
  dst.setUint32(0, flavor);
  dst.setUint16(4, numTables);
  dst.setUint16(6, searchRange);
  dst.setUint16(8, entrySelector);
  dst.setUint16(10, numTables * 16 - searchRange);
  let offset = headerSize;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    dst.setUint32(at, t.tag);
    dst.setUint32(at + 4, t.checksum);
    dst.setUint32(at + 8, offset);
    dst.setUint32(at + 12, t.data.byteLength);
    out.set(t.data, offset);
    offset += pad4(t.data.byteLength);
  });
  return out;
}

const pad4 = (n: number) => (n + 3) & ~3;
