/** Single-line logger. `false` silences it (tests), a function receives each finished line. */
export type LogSink = false | ((line: string) => void);
export type Logger = (msg: string) => void;

export function createLogger(sink: LogSink | undefined): Logger {
  if (sink === false) return () => {};
  const out = sink ?? ((line: string) => process.stdout.write(line + "\n"));
  return (msg) => out(`[engine] ${new Date().toISOString().slice(11, 23)} ${msg}`);
}

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  return `${(ms / 60_000).toFixed(1)}m`;
}

export function errText(err: unknown): string {
  if (err && typeof err === "object") {
    const e = err as { name?: unknown; message?: unknown };
    const name = typeof e.name === "string" ? e.name : "Error";
    const message = typeof e.message === "string" ? e.message : JSON.stringify(err);
    return `${name}: ${message}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}
