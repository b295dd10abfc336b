/**
 * The web server being asked to stop, as one signal for the responses that would otherwise never end:
 * batch event streams. `next start` answers SIGTERM and SIGINT by closing its server and waiting for
 * every open request, and a stream stays open as long as its reader does (a batch page left open, a
 * CLI's `--wait`), so the server never stopped and `npm start`'s Ctrl-C hung. The streams end instead;
 * their readers reconnect once the app is back. Requests with an end of their own (a provider call
 * under way) are still waited for.
 */

// On globalThis: Next bundles instrumentation and each route as separate module instances.
const KEY = Symbol.for("thumbnail-studio.server-stop");
const store = globalThis as typeof globalThis & { [KEY]?: AbortController };

const controller = () => (store[KEY] ??= new AbortController());

/** Aborted once this server process has been asked to stop. */
export function serverStopping(): AbortSignal {
  return controller().signal;
}

/** Ends the streams: called on the stop signals (and by tests). */
export function stopServerStreams(): void {
  controller().abort(new Error("the server is stopping"));
}

/**
 * Ends the streams when the process is asked to stop. Only where something else does the stopping
 * (Next's own handlers on the same signals): a listener takes away Node's default exit on them.
 */
export function endStreamsOnStopSignals(proc: NodeJS.Process = process): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) proc.once(signal, stopServerStreams);
}

/**
 * A signal aborted when `request` is or the server stops, and its `release` (call it when done with
 * it, so the long-lived server signal keeps no listener per finished stream).
 */
export function requestOrServerStop(request: AbortSignal): { signal: AbortSignal; release: () => void } {
  const stopping = serverStopping();
  const linked = new AbortController();
  const end = () => linked.abort();
  const release = () => {
    request.removeEventListener("abort", end);
    stopping.removeEventListener("abort", end);
  };
  if (request.aborted || stopping.aborted) end();
  else {
    request.addEventListener("abort", end, { once: true });
    stopping.addEventListener("abort", end, { once: true });
  }
  return { signal: linked.signal, release };
}
