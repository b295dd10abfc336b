import { cellControlRoute } from "@/lib/batches/cell-picks";
import { switchToOtherTake } from "@/lib/batches/controls";
import { notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Switch to another take: `{cells: [{promptIndex, model, other?}]}` (a form post sends one cell as
 * fields) → each named finished cell shows its other take number `other` (default 0: the one shown most
 * recently, at first the picture its last new take replaced, as in `otherTakes`), and the picture it
 * showed leads its other takes (asking again with 0 switches back). No provider call. Owner only;
 * 200 `{batch, swapped}`.
 */
export const POST = apiRoute(
  cellControlRoute("switch", "Invalid request to switch takes.", switchToOtherTake, "swapped"),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
