/**
 * Leaf of the fan-out: one cell = one (prompt, model). One function per provider, so each provider gets
 * its own concurrency limit (catalog default, env override); every step is idempotent (see cell-work).
 */
import { invoke, NonRetriableError, RetryAfterError } from "inngest";
import { z } from "zod";
import {
  AttemptFailed,
  composeStep,
  type ComposedImage,
  generateStep,
  recordFailureStep,
  recordStep,
  type CellRef,
} from "@/lib/batches/cell-work";
import { cellRetries, providerConcurrency } from "@/lib/batches/concurrency";
import { modelIdSchema } from "@/lib/catalog/models";
import { ComposeInputError } from "@/lib/compose/errors";
import { getDb } from "@/lib/db";
import type { ProviderId } from "@/lib/providers/types";
import { inngest } from "../client";

export const cellPayload = z.object({
  batchId: z.string(),
  promptIndex: z.number().int().min(0),
  model: modelIdSchema,
  provider: z.string(),
  /** The cell's round when planned: a cell asked for again since is another leaf's (absent: any). */
  round: z.number().int().min(0).optional(),
});

export type CellPayload = z.infer<typeof cellPayload>;

/** generate, compose, record (or record-failure), plus one: no checkpoint before the result. */
const LEAF_STEPS = 4;

type Retries = NonNullable<Parameters<typeof inngest.createFunction>[0]["retries"]>;

export function createCellFunction(provider: ProviderId) {
  const retries = cellRetries() as Retries;
  return inngest.createFunction(
    {
      id: `generate-cell-${provider}`,
      name: `Generate one thumbnail (${provider})`,
      retries,
      // The leaf's steps are reported together with its result instead of one checkpoint call
      // each: two or three fewer round trips per image (to Inngest Cloud, or the local engine).
      // A crash mid-cell re-runs its steps, which is safe: all are idempotent, and the paid call
      // is not repeated because generate records the raw image's key before it returns.
      checkpointing: { bufferedSteps: LEAF_STEPS },
      // The provider's limit, and a key queue per batch at the same limit: it never binds alone, but
      // lets batches take turns at the provider (the local engine always; Inngest Cloud with key queues),
      // so a batch of five titles does not wait behind another's backlog of thousands.
      concurrency: [
        { limit: providerConcurrency(provider), key: "event.data.provider" },
        { limit: providerConcurrency(provider), key: "event.data.batchId" },
      ],
      cancelOn: [{ event: "batch/cancelled", if: "event.data.batchId == async.data.batchId" }],
      triggers: [invoke(cellPayload)],
    },
    async ({ event, step, attempt }) => {
      const ref: CellRef = {
        batchId: event.data.batchId,
        promptIndex: event.data.promptIndex,
        model: event.data.model,
        round: event.data.round,
      };
      const db = await getDb();
      try {
        const generated = await step.run("generate", async () => {
          try {
            return await generateStep(db, ref, attempt, attempt >= retries);
          } catch (err) {
            if (!(err instanceof AttemptFailed)) throw err;
            if (!err.retryable) throw new NonRetriableError(err.message);
            if (err.retryAfterMs !== null)
              throw new RetryAfterError(err.message, Math.max(1, err.retryAfterMs));
            throw err;
          }
        });
        if (generated.kind === "skipped") return { status: generated.status, finalKey: null };
        const image: ComposedImage = await step.run("compose", async () => {
          try {
            return await composeStep(db, ref, generated.rawKey, generated.spec);
          } catch (err) {
            // A title or picture the compositor cannot use fails alike on every try.
            if (err instanceof ComposeInputError) throw new NonRetriableError(err.message);
            throw err;
          }
        });
        const done = await step.run("record", () => recordStep(db, image));
        return { status: done.status, finalKey: done.finalKey };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await step.run("record-failure", () => recordFailureStep(db, ref, message, "failed"));
        return { status: "failed" as const, finalKey: null, error: message };
      }
    },
  );
}
