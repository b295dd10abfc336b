import type { ProviderId } from "@/lib/providers/types";
import { createCellFunction } from "./generate-cell";

/** One leaf function per provider (dispatch on the catalog's provider field). */
export const cellFunctions = {
  openai: createCellFunction("openai"),
  google: createCellFunction("google"),
  "local-preview": createCellFunction("local-preview"),
} satisfies Record<ProviderId, ReturnType<typeof createCellFunction>>;
