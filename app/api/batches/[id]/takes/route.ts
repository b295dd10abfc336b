import { cellControlRoute } from "@/lib/batches/cell-picks";
import { newTakes } from "@/lib/batches/controls";
import { notAllowed, apiRoute } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * New takes: `{cells: [{promptIndex, model}]}` (a form post sends one cell as fields) → each named
 * succeeded cell gets a new picture from its model, a paid call; while the batch runs, its run makes
 * them next. Owner only; 200
 * `{batch, queued}`. The cell keeps its picture until the new one succeeds, and falls back to it if
 * the take fails or is cancelled; the picture a successful take replaces leads its other takes.
 */
export const POST = apiRoute(cellControlRoute("plain", "Invalid request for new takes.", newTakes, "queued"));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = notAllowed("POST");
