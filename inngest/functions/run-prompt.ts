/** Middle of the fan-out: one title across its models, one leaf per model, all at once. */
import { invoke } from "inngest";
import { z } from "zod";
import { getModel, modelIdSchema, type ModelId } from "@/lib/catalog/models";
import { getDb, pendingCells } from "@/lib/db";
import type { ProviderId } from "@/lib/providers/types";
import { inngest } from "../client";
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
    const row = await Promise.all(
      models.map((model) => {
        const provider: ProviderId = getModel(model).provider;
        return step.invoke(`cell-${model}`, {
          function: cellFunctions[provider],
          data: { batchId, promptIndex, model, provider },
        });
      }),
    );
    return Object.fromEntries(
      models.map((m, i) => [m, (row[i] as { finalKey?: string | null } | undefined)?.finalKey ?? null]),
    );
  },
);
