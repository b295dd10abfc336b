/** The message of whatever a failed step or invoked run rejected with, for a person to read. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
