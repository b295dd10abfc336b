/**
 * Runs once when the server starts, before it serves requests. Opens the database (on a fresh data
 * folder, creates it) and applies migrations now, so the first batch does not wait for them and a
 * broken DATABASE_URL shows in the log at start. A failure is logged, not fatal: requests open the
 * database again on demand. Malformed settings are logged by name at start as well. Started by
 * `npm start`, the app also follows it out should it die without stopping the app (lib/parent-watch).
 * Asked to stop, it ends its open batch event streams (lib/server-stop), which would otherwise hold it.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // The Inngest SDK copies its variables out of process.env on every request and step, and
  // enumerating Node's live environment object costs ~20 µs a time (about 3 % of the server's CPU
  // in a 150-image batch). Nothing in the app changes the environment while it runs, and child
  // processes inherit the copy, so a plain object with the same values serves everything.
  process.env = { ...process.env };
  // libvips' operation cache keeps recent images for reuse; every thumbnail is a new image here.
  // A malformed setting (e.g. BATCH_PAGE_TITLES=abc) is named in the log now, not first by a failing page.
  const { settingsProblems } = await import("@/lib/settings");
  for (const problem of settingsProblems()) console.error(`settings: ${problem}`);
  // Asked to stop, Next waits for every open request: open batch event streams end so it can.
  if (!process.env.NEXT_MANUAL_SIG_HANDLE) (await import("@/lib/server-stop")).endStreamsOnStopSignals();
  const { followParent, gentleStopWaitMs, parentPidFrom } = await import("@/lib/parent-watch");
  const parentPid = parentPidFrom(process.env);
  if (parentPid !== null) {
    const { providerCallsInFlight } = await import("@/lib/providers/call-limit");
    followParent({ parentPid, callsOut: providerCallsInFlight, maxWaitMs: gentleStopWaitMs(process.env) });
  }
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
