/**
 * Runs once when the server starts, before it serves requests: open (and on a fresh data folder
 * create) the database and apply migrations now, so the first batch does not wait for it and a
 * broken DATABASE_URL shows in the log at start. A failure here is logged, not fatal: requests open
 * the database again on demand.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getDbHandle } = await import("@/lib/db");
  try {
    const handle = await getDbHandle();
    console.log(`db: ${handle.driver} ready (${handle.location})`);
  } catch (error) {
    console.error(`db: could not open the database at start: ${(error as Error).message}`);
  }
}
