/** Middle of the fan-out: one title across its models, one leaf per model, all at once. */
import { invoke } from "inngest";
import { z } from "zod";
import { getModel, modelIdSchema, type ModelId } from "@/lib/catalog/models";
import { recordFailureStep } from "@/lib/batches/cell-work";
import { getDb, pendingCells } from "@/lib/db";
import type { ProviderId } from "@/lib/providers/types";
import { inngest } from "../client";
import { errorText } from "./error-text";
import { cellFunctions } from "./cell-functions";

export const runPrompt = inngest.createFunction(
  {
    id: "run-prompt",
    name: "Generate one title across its models",
    retries: 4,
    cancelOn: [{ event: "batch/cancelled", if: "event.data.batchId == async.data.batchId" }],
    triggers: [
      invoke(
        z.object({
          batchId: z.string(),
          promptIndex: z.number().int().min(0),
          // Planned by run-batch; absent in events sent before it planned per prompt.
          models: z.array(modelIdSchema).optional(),
          // Each model's cell's round when planned; absent in events sent before rounds were.
          rounds: z.array(z.number().int().min(0)).optional(),
        }),
      ),
    ],
  },
  async ({ event, step }) => {
    const { batchId, promptIndex } = event.data;
    const models =
      event.data.models ??
      (await step.run("plan", async () => {
        const pending = await pendingCells(await getDb(), batchId, promptIndex);
        return pending.map((c) => c.model as ModelId);
      }));
    const roundOf = (i: number) => event.data.rounds?.[i];
    // Settled, not all: a leaf whose run failed (it could not even record its failure) must not end
    // this run while the other models still work; its cell is failed here instead.
    const row = await Promise.allSettled(
      models.map((model, i) => {
        const provider: ProviderId = getModel(model).provider;
        return step.invoke(`cell-${model}`, {
          function: cellFunctions[provider],
          data: { batchId, promptIndex, model, provider, round: roundOf(i) },
        });
      }),
    );
    const lost = models.flatMap((model, i) => {
      const leaf = row[i];
      return leaf?.status === "rejected" ? [{ model, round: roundOf(i), error: errorText(leaf.reason) }] : [];
    });
    if (lost.length > 0) {
      await step.run("end-lost-cells", async () => {
        const db = await getDb();
        for (const { model, round, error } of lost) {
          const reason = `This image's run failed (${error}). Retry the failed cells to run it again.`;
          await recordFailureStep(db, { batchId, promptIndex, model, round }, reason, "workflow");
        }
      });
    }
    return Object.fromEntries(
      models.map((m, i) => {
        const leaf = row[i];
        const value = leaf?.status === "fulfilled" ? (leaf.value as { finalKey?: string | null }) : null;
        return [m, value?.finalKey ?? null];
      }),
    );
  },
);
