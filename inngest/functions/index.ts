import { cellFunctions } from "./cell-functions";
import { endLostBatches } from "./end-lost-batches";
import { runBatch } from "./run-batch";
import { endCancelledBatch } from "./run-cancelled";
import { runPrompt } from "./run-prompt";
import { runPromptGroup } from "./run-prompt-group";
import { sweepStorage } from "./sweep-storage";

/** Every function the app serves (app/api/inngest/route.ts). */
export const functions = [
  runBatch,
  runPromptGroup,
  runPrompt,
  ...Object.values(cellFunctions),
  endCancelledBatch,
  sweepStorage,
  endLostBatches,
];
