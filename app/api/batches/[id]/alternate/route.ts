import { cellControlRoute } from "@/lib/batches/cell-picks";
import { switchToAlternate } from "@/lib/batches/controls";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Switch to the other take: `{cells: [{promptIndex, model}]}` (a form post sends one cell as fields) →
 * each named finished cell shows its other take (at first the picture its last new take
 * replaced) and keeps the one it showed as its other take (asking again switches back). No provider
 * call. Owner only; 200 `{batch, swapped}`.
 */
export const POST = cellControlRoute("Invalid request to switch takes.", switchToAlternate, "swapped");
