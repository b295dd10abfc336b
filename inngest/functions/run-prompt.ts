/** Middle of the fan-out: one title across its models, one leaf per model, all at once. */
import { invoke } from "inngest";
import { z } from "zod";
import { getModel, type ModelId } from "@/lib/catalog/models";
import { getDb, getBatch } from "@/lib/db";
import type { ProviderId } from "@/lib/providers/types";
import { inngest } from "../client";
import { cellFunctions } from "./cell-functions";

export const runPrompt = inngest.createFunction(
  {
    id: "run-prompt",
    name: "Generate one title across its models",
    retries: 4,
    cancelOn: [{ event: "batch/cancelled", if: "event.data.batchId == async.data.batchId" }],
    triggers: [invoke(z.object({ batchId: z.string(), promptIndex: z.number().int().min(0) }))],
  },
  async ({ event, step }) => {
    const { batchId, promptIndex } = event.data;
    const models = await step.run("plan", async () => {
      const found = await getBatch(await getDb(), batchId);
      if (!found) return [];
      return found.cells
        .filter(
          (c) =>
            c.promptIndex === promptIndex &&
            (c.status === "queued" || c.status === "running" || c.status === "retrying"),
        )
        .map((c) => c.model as ModelId);
    });
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
