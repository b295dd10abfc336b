import type { BatchSummary } from "@/lib/db";
import { charCount, firstChars } from "@/lib/user-text";

/**
 * The batch filter's choices: first title, when it was made (to the minute, UTC) and its size. Batches
 * alike in all of that (a batch and its restyle, made together) also show the start of their id.
 */
export function batchOptions(
  batches: readonly Pick<BatchSummary, "id" | "title" | "createdAt" | "prompts" | "models">[],
) {
  const labels = batches.map((b) => {
    // First-strong isolates (an <option> holds no markup): a right-to-left title keeps the rest after it.
    const title = charCount(b.title) > 40 ? `${firstChars(b.title, 39)}…` : b.title;
    const made = b.createdAt.toISOString().slice(0, 16).replace("T", " ");
    return `\u2068${title}\u2069 (${made}, ${b.prompts} × ${b.models.length})`;
  });
  return batches.map((b, i) => {
    const label = labels[i]!;
    const twin = labels.some((other, j) => j !== i && other === label);
    return { value: b.id, label: twin ? `${label} · ${b.id.slice(0, 6)}` : label };
  });
}
