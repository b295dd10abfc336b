/**
 * Runs once when the server starts, before it serves requests. Opens the database (on a fresh data
 * folder, creates it) and applies migrations now, so the first batch does not wait for them and a
 * broken DATABASE_URL shows in the log at start. A failure is logged, not fatal: requests open the
 * database again on demand.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // libvips' operation cache keeps recent images for reuse; every thumbnail is a new image here.
  const { default: sharp } = await import("sharp");
  sharp.cache(false);
  const { getDbHandle } = await import("@/lib/db");
  try {
    const handle = await getDbHandle();
    console.log(`db: ${handle.driver} ready (${handle.location})`);
  } catch (error) {
    console.error(`db: could not open the database at start: ${(error as Error).message}`);
  }
}
