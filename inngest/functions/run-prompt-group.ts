/**
 * An extra level of the fan-out, used only by batches with more titles than one run may invoke
 * (PROMPTS_PER_RUN, lib/batches/concurrency.ts): run-batch invokes one group per slice of titles and
 * each group invokes run-prompt per title, so every run stays far below Inngest's 1,000 steps.
 */
import { invoke, type GetStepTools } from "inngest";
import { z } from "zod";
import { modelIdSchema } from "@/lib/catalog/models";
import { inngest } from "../client";
import { errorText } from "./error-text";
import { runPrompt } from "./run-prompt";

export const promptRow = z.object({
  promptIndex: z.number().int().min(0),
  models: z.array(modelIdSchema),
  /** Each model's cell's round when planned (absent in plans made before rounds were passed on). */
  rounds: z.array(z.number().int().min(0)).optional(),
});
export type PromptRow = z.infer<typeof promptRow>;

/**
 * Invokes run-prompt per title, all at once (run-batch directly, or a group for its slice); a later
 * wave of run-batch prefixes its step ids. Settled, not all: one lost title must not end the caller
 * while the others are still working. Returns how many were lost, and why the first one was.
 */
export async function invokeTitles(
  step: GetStepTools<typeof inngest>,
  batchId: string,
  rows: readonly PromptRow[],
  stepPrefix = "",
): Promise<{ lost: number; error: string | null }> {
  const settled = await Promise.allSettled(
    rows.map(({ promptIndex, models, rounds }) =>
      step.invoke(`${stepPrefix}prompt-${promptIndex}`, {
        function: runPrompt,
        data: { batchId, promptIndex, models, rounds },
      }),
    ),
  );
  const lost = settled.filter((r) => r.status === "rejected");
  return { lost: lost.length, error: lost[0] ? errorText(lost[0].reason) : null };
}

export const runPromptGroup = inngest.createFunction(
  {
    id: "run-prompt-group",
    name: "Generate a group of titles",
    retries: 4,
    cancelOn: [{ event: "batch/cancelled", if: "event.data.batchId == async.data.batchId" }],
    triggers: [invoke(z.object({ batchId: z.string(), rows: z.array(promptRow).min(1) }))],
  },
  async ({ event, step }) => {
    const { batchId, rows } = event.data;
    // Only counts go up: the images are in the database, and run-batch's state stays small.
    return { prompts: rows.length, ...(await invokeTitles(step, batchId, rows)) };
  },
);
