/**
 * Cells the provider refused for their content (its moderation or safety checks): the same title is
 * likely refused again, so the batch page says so beside its retry button, which stays offered.
 */
import type { ProviderErrorReason } from "@/lib/errors";
import type { CellSummary } from "./live";

/** The error kinds (a provider error's reason, as cells keep it) of a refusal for the content asked for. */
const CONTENT_BLOCKS: ReadonlySet<string> = new Set<ProviderErrorReason>([
  "moderation_blocked",
  "safety_blocked",
]);

export const blockedForContent = (errorKind: string | null): boolean =>
  errorKind !== null && CONTENT_BLOCKS.has(errorKind);

/**
 * What to say beside "Retry N failed cells" when some of those cells were blocked for their content;
 * null when none was.
 */
export function retryNote(
  cells: readonly Pick<CellSummary, "status" | "errorKind" | "promptIndex">[],
): string | null {
  let failed = 0;
  let blocked = 0;
  const titles = new Set<number>();
  for (const c of cells) {
    if (c.status !== "failed") continue;
    failed++;
    if (!blockedForContent(c.errorKind)) continue;
    blocked++;
    titles.add(c.promptIndex);
  }
  if (blocked === 0) return null;
  const which =
    failed === 1
      ? "It was"
      : blocked === failed
        ? `${blocked === 2 ? "Both" : `All ${blocked}`} were`
        : `${blocked} of them ${blocked === 1 ? "was" : "were"}`;
  const same = titles.size === 1 ? "the same title" : "the same titles";
  return `${which} blocked by the provider's safety checks: ${same} will likely be refused again.`;
}
