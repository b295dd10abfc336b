import {
  promises as fsp,
  readFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { processRunning, processStartTime } from "./process";

/**
 * Append-only JSON-lines journal with group commit: records appended while an fsync is in
 * progress are written and synced together by the next flush, so one fdatasync covers many
 * transitions. Compaction writes a snapshot of the whole state and starts a new segment.
 *
 * Files: snapshot-<n>.json holds the state before segment n; journal-<n>.jsonl the records after.
 */
export interface JournalHooks {
  onSnapshot(state: unknown): void;
  onRecord(rec: Record<string, unknown>): void;
  warn(msg: string): void;
}

const seg = (dir: string, n: number) => path.join(dir, `journal-${n}.jsonl`);
const snap = (dir: string, n: number) => path.join(dir, `snapshot-${n}.json`);

function listNumbers(dir: string, re: RegExp): number[] {
  return readdirSync(dir)
    .map((f) => re.exec(f)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export class Journal {
  private fh!: FileHandle;
  private segment = 0;
  private buf: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;
  private closed = false;
  private bytes = 0;
  private compactWith: (() => unknown) | null = null;
  private compactDone: (() => void)[] = [];
  failure: unknown = null;

  private constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  static async open(dir: string, hooks: JournalHooks, maxBytes = 32 * 1024 * 1024): Promise<Journal> {
    mkdirSync(dir, { recursive: true });
    lockDir(dir);
    const j = new Journal(dir, maxBytes);
    const snaps = listNumbers(dir, /^snapshot-(\d+)\.json$/);
    let base = 0;
    for (const n of snaps.reverse()) {
      try {
        hooks.onSnapshot(JSON.parse(readFileSync(snap(dir, n), "utf8")));
        base = n;
        break;
      } catch (err) {
        hooks.warn(`ignoring unreadable snapshot-${n}.json: ${(err as Error).message}`);
      }
    }
    const segments = listNumbers(dir, /^journal-(\d+)\.jsonl$/).filter((n) => n >= base);
    let last = base;
    for (const n of segments) {
      const text = readFileSync(seg(dir, n), "utf8");
      const lines = text.split("\n");
      let pos = 0;
      let keep = 0;
      let needNewline = false;
      lines.forEach((line, i) => {
        const hasNl = i < lines.length - 1;
        const len = Buffer.byteLength(line) + (hasNl ? 1 : 0);
        if (line.trim() !== "") {
          try {
            hooks.onRecord(JSON.parse(line) as Record<string, unknown>);
            keep = pos + len;
            needNewline = !hasNl;
          } catch {
            // A torn final line is expected after kill -9 and is cut off; one in the middle is not.
            if (hasNl) hooks.warn(`journal-${n}.jsonl line ${i + 1} is corrupt; skipped`);
            else hooks.warn(`journal-${n}.jsonl ends with a torn record (crash while writing); dropped`);
          }
        } else if (hasNl) keep = pos + len;
        pos += len;
      });
      if (keep < pos) await fsp.truncate(seg(dir, n), keep);
      if (needNewline) await fsp.appendFile(seg(dir, n), "\n");
      last = n;
    }
    j.segment = last;
    j.fh = await fsp.open(seg(dir, last), "a");
    j.bytes = (await j.fh.stat()).size;
    return j;
  }

  /** Appends records; the promise resolves once they are on disk. */
  append(...recs: Record<string, unknown>[]): Promise<void> {
    return this.appendLines(recs.map((r) => JSON.stringify(r)));
  }

  /** Appends records already serialized, one JSON text each. */
  appendLines(lines: readonly string[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error("journal closed"));
    for (const l of lines) this.buf.push(l);
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.kick();
    return p;
  }

  /** Requests a snapshot+new segment; `state` is called synchronously at the switch point. */
  compact(state: () => unknown): Promise<void> {
    this.compactWith = state;
    const p = new Promise<void>((r) => this.compactDone.push(r));
    this.kick();
    return p;
  }

  get size(): number {
    return this.bytes;
  }

  needsCompaction(): boolean {
    return this.bytes > this.maxBytes;
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (this.buf.length > 0 || this.compactWith) {
        const lines = this.buf;
        const waiters = this.waiters;
        this.buf = [];
        this.waiters = [];
        if (lines.length > 0) {
          const data = lines.join("\n") + "\n";
          await this.fh.write(data);
          await this.fh.datasync();
          this.bytes += Buffer.byteLength(data);
        }
        for (const w of waiters) w.resolve();
        if (this.compactWith) await this.doCompact();
      }
    } catch (err) {
      this.failure = err;
      for (const w of this.waiters) w.reject(err);
      this.waiters = [];
    } finally {
      this.flushing = false;
    }
    if (!this.failure && (this.buf.length > 0 || this.compactWith)) this.kick();
  }

  private async doCompact(): Promise<void> {
    const stateFn = this.compactWith;
    this.compactWith = null;
    if (!stateFn) return;
    const next = this.segment + 1;
    // The state already contains records appended since the last flush: the snapshot makes them
    // durable, so they are not written to any segment (replaying them twice would be wrong).
    const state = JSON.stringify(stateFn());
    const covered = this.waiters;
    this.buf = [];
    this.waiters = [];
    try {
      await this.fh.close();
      this.fh = await fsp.open(seg(this.dir, next), "a");
      this.bytes = 0;
      const tmp = snap(this.dir, next) + ".tmp";
      await fsp.writeFile(tmp, state);
      const th = await fsp.open(tmp, "r+");
      await th.datasync();
      await th.close();
      await fsp.rename(tmp, snap(this.dir, next));
      const dh = await fsp.open(this.dir, "r");
      await dh.sync().catch(() => {});
      await dh.close();
      const prev = this.segment;
      this.segment = next;
      for (const n of listNumbers(this.dir, /^journal-(\d+)\.jsonl$/))
        if (n <= prev) await fsp.rm(seg(this.dir, n), { force: true });
      for (const n of listNumbers(this.dir, /^snapshot-(\d+)\.json$/))
        if (n <= prev) await fsp.rm(snap(this.dir, n), { force: true });
    } catch (err) {
      for (const w of covered) w.reject(err);
      throw err;
    }
    for (const w of covered) w.resolve();
    for (const d of this.compactDone.splice(0)) d();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.flushing || this.buf.length > 0) {
      if (!this.flushing) this.kick();
      await new Promise((r) => setTimeout(r, 2));
      if (this.failure) break;
    }
    this.closed = true;
    await this.fh.close().catch(() => {});
    rmSync(path.join(this.dir, "LOCK"), { force: true });
  }
}

/** The live engine (another process) holding `dir`'s LOCK file ("<pid> <start time>"), if any. */
export function engineDirOwner(dir: string): number | null {
  const file = path.join(dir, "LOCK");
  if (!existsSync(file)) return null;
  const [pidText = "", startTime] = readFileSync(file, "utf8").trim().split(" ");
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  return processRunning(pid, startTime) ? pid : null;
}

/** One engine per data dir: a LOCK file holding the owner's pid; a dead owner's lock is taken over. */
function lockDir(dir: string): void {
  const pid = engineDirOwner(dir);
  if (pid !== null)
    throw new Error(
      `data dir ${dir} is in use by another engine (pid ${pid}); stop it or set ENGINE_DATA_DIR`,
    );
  writeFileSync(path.join(dir, "LOCK"), `${process.pid} ${processStartTime(process.pid) ?? ""}`.trim());
}
