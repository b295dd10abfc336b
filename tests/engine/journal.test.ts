import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Journal } from "@/engine/journal";
import { startEngine } from "@/engine/server";
import { listRuns, makeClient, runsFinished, serveApp, tempDir, until } from "./helpers";

type R = Record<string, unknown>;

async function open(dir: string, maxBytes = 1 << 20) {
  const recs: R[] = [];
  const warnings: string[] = [];
  let snapshot: unknown;
  const j = await Journal.open(
    dir,
    { onSnapshot: (s) => (snapshot = s), onRecord: (r) => recs.push(r), warn: (w) => warnings.push(w) },
    maxBytes,
  );
  return { j, recs, warnings, snapshot: () => snapshot };
}

describe("journal", () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));
  const mk = () => {
    const t = tempDir("journal");
    dirs.push(t.cleanup);
    return t.dir;
  };

  it("replays records and tolerates a torn last line (kill -9 while writing)", async () => {
    const dir = mk();
    const a = await open(dir);
    await Promise.all([a.j.append({ n: 1 }), a.j.append({ n: 2 }, { n: 3 })]);
    await a.j.close();
    const file = readdirSync(dir).find((f) => f.endsWith(".jsonl")) ?? "";
    appendFileSync(path.join(dir, file), '{"n":4,"half');
    const b = await open(dir);
    expect(b.recs).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(b.warnings.join()).toMatch(/torn record/);
    await b.j.append({ n: 5 });
    await b.j.close();
    const c = await open(dir);
    expect(c.recs).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 5 }]);
    await c.j.close();
  });

  it("refuses a data dir locked by a live process and takes over a dead one's lock", async () => {
    const dir = mk();
    writeFileSync(path.join(dir, "LOCK"), String(process.ppid));
    await expect(open(dir)).rejects.toThrow(/in use by another engine/);
    writeFileSync(path.join(dir, "LOCK"), "999999999");
    const a = await open(dir);
    await a.j.close();
  });

  it("skips a corrupt line in the middle with a warning", async () => {
    const dir = mk();
    writeFileSync(path.join(dir, "journal-0.jsonl"), '{"n":1}\nnot json\n{"n":2}\n');
    const a = await open(dir);
    expect(a.recs).toEqual([{ n: 1 }, { n: 2 }]);
    expect(a.warnings.join()).toMatch(/line 2 is corrupt/);
    await a.j.close();
  });

  it("compacts into a snapshot and replays snapshot + later records", async () => {
    const dir = mk();
    const a = await open(dir, 200);
    let state = 0;
    for (let i = 1; i <= 20; i++) {
      state += i;
      await a.j.append({ add: i });
      if (a.j.needsCompaction()) {
        const at = state;
        await a.j.compact(() => ({ total: at }));
      }
    }
    await a.j.close();
    const b = await open(dir, 200);
    const snap = b.snapshot() as { total: number } | undefined;
    const replayed = (snap?.total ?? 0) + b.recs.reduce((s, r) => s + Number(r.add), 0);
    expect(snap).toBeDefined();
    expect(replayed).toBe(210);
    expect(readdirSync(dir).filter((f) => f.startsWith("snapshot-"))).toHaveLength(1);
    expect(
      JSON.parse(
        readFileSync(path.join(dir, readdirSync(dir).find((f) => f.startsWith("snapshot-")) ?? ""), "utf8"),
      ),
    ).toEqual(snap);
    await b.j.close();
  });
});

describe("engine state across restarts with compaction", () => {
  it("keeps every run, step and attempt through snapshots and a clean restart", async () => {
    const t = tempDir("restart");
    const opts = { port: 0, dataDir: t.dir, retryBaseMs: 5, journalMaxBytes: 8192, log: false as const };
    const e1 = await startEngine(opts);
    const client = makeClient("rs", e1.url);
    let flaky = 0;
    const fn = client.createFunction({ id: "f", triggers: { event: "rs/e" } }, async ({ event, step }) => {
      const a = await step.run("a", () => (event.data as { i: number }).i);
      const b = await step.run("b", () => {
        if ((event.data as { i: number }).i === 0 && flaky++ === 0) throw new Error("once");
        return a + 1;
      });
      return step.run("c", () => a + b);
    });
    const app = await serveApp(client, [fn]);
    await e1.syncApp(app.url);
    await client.send(Array.from({ length: 30 }, (_, i) => ({ name: "rs/e", data: { i } })));
    const before = await runsFinished(e1.url, "rs-f", 30);
    const detailBefore = await listRuns(e1.url, { function_id: "rs-f", include: "steps" });
    await e1.close();
    expect(readdirSync(t.dir).some((f) => f.startsWith("snapshot-"))).toBe(true);
    const e2 = await startEngine(opts);
    const after = await listRuns(e2.url, { function_id: "rs-f", include: "steps" });
    expect(after.map((r) => [r.id, r.status, r.output])).toEqual(
      before.map((r) => [r.id, r.status, r.output]),
    );
    expect(after.map((r) => r.steps)).toEqual(detailBefore.map((r) => r.steps));
    const retried = after.find((r) => (r.event.data as { i: number }).i === 0);
    expect(retried?.steps?.find((s) => s.id === "b")?.attempts).toHaveLength(2);
    await e2.close();
    await app.close();
    t.cleanup();
  });

  it("continues a step's attempt count after a restart instead of starting over", async () => {
    const t = tempDir("retry-restart");
    const seen: number[] = [];
    const e1 = await startEngine({ port: 0, dataDir: t.dir, retryBaseMs: 60_000, log: false });
    const client = makeClient("rr", e1.url);
    const fn = client.createFunction({ id: "f", triggers: { event: "rr/e" } }, async ({ step, attempt }) => {
      return step.run("flaky", () => {
        seen.push(attempt);
        if (attempt === 0) throw new Error("first attempt fails");
        return "ok";
      });
    });
    const app = await serveApp(client, [fn]);
    await e1.syncApp(app.url);
    await client.send({ name: "rr/e", data: {} });
    await until("first attempt failed", async () => {
      const [r] = await listRuns(e1.url, { function_id: "rr-f", include: "steps" });
      return r?.steps?.[0]?.attempts.length === 1 ? r : undefined;
    });
    await e1.close();
    const e2 = await startEngine({ port: 0, dataDir: t.dir, retryBaseMs: 5, log: false });
    const [run] = await runsFinished(e2.url, "rr-f", 1);
    expect(run?.output).toBe("ok");
    expect(seen).toEqual([0, 1]);
    const [full] = await listRuns(e2.url, { function_id: "rr-f", include: "steps" });
    expect(full?.steps?.[0]?.attempts.map((a) => a.attempt)).toEqual([0, 1]);
    await e2.close();
    await app.close();
    t.cleanup();
  });
});
