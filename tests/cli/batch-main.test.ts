/**
 * `npm run batch` end to end against a small stand-in for the app's HTTP API (the real request schema,
 * so blank titles are dropped as the app drops them): title numbers as in the file, BOMs, --cell specs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { BatchDto } from "@/lib/batches/dto";
import { estimateBatchCost } from "@/lib/batches/estimate";
import { parseBatchInput } from "@/lib/batches/input";
import { formatUsd } from "@/lib/format";
import { main } from "../../scripts/batch";
import { TokenStore, type Env } from "../../scripts/lib/token-store";
import { batch as batchDto, cell } from "../helpers/batch-dto";

interface Posted {
  route: string;
  body: unknown;
}

let server: Server;
let url: string;
let dir: string;
let env: Env;
let limit: number;
let batches: Map<string, BatchDto>;
let posted: Posted[];
let stdout: string[];
let stderr: string[];

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
};

/** A finished batch of these titles × models, every cell with a picture. */
function finished(id: string, prompts: string[], models: string[]): BatchDto {
  const cells = prompts.flatMap((prompt, i) =>
    models.map((model) =>
      cell(i, {
        id: `${id}-${i}-${model}`,
        prompt,
        model,
        status: "succeeded",
        imageUrl: `/img/${id}/${i}/${model}.jpg`,
      }),
    ),
  );
  const dto = batchDto(cells);
  return {
    ...dto,
    id,
    status: "succeeded",
    prompts,
    models,
    results: prompts.map((_, i) => models.map((m) => `/img/${id}/${i}/${m}.jpg`)),
  };
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "batch-main-"));
  env = { XDG_CONFIG_HOME: path.join(dir, "config"), HOME: dir };
  limit = 50;
  batches = new Map();
  posted = [];
  server = createServer((req, res) => {
    void (async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const route = req.url ?? "";
      if (req.method === "POST" && route === "/api/batches") {
        const parsed = parseBatchInput(await readBody(req), { maxImages: Number.MAX_SAFE_INTEGER });
        if (!parsed.ok) return send(400, { error: "Invalid batch request.", issues: parsed.issues });
        const { prompts, models } = parsed.value;
        if (prompts.length * models.length > limit)
          return send(400, {
            error: "Invalid batch request.",
            issues: [{ path: "prompts", message: "too many", code: "too_many_images", limit }],
          });
        const id = `b${batches.size + 1}`;
        const dto = { ...finished(id, prompts, models), notices: parsed.value.notices };
        batches.set(id, dto);
        return send(201, { id, url: `/b/${id}`, ownerToken: `token-${id}`, batch: dto });
      }
      // As the app answers every route of a batch id it does not have.
      const named = route.match(/^\/api\/batches\/(\w+)/);
      if (named && !batches.has(named[1]!))
        return send(404, {
          error: `No batch with id "${named[1]}".`,
          issues: [{ path: "id", message: "unknown batch" }],
        });
      const read = route.match(/^\/api\/batches\/(\w+)$/);
      if (req.method === "GET" && read) {
        const found = batches.get(read[1]!);
        return found ? send(200, found) : send(404, { error: "No such batch.", issues: [] });
      }
      const cancel = route.match(/^\/api\/batches\/(\w+)\/cancel$/);
      if (req.method === "POST" && cancel) {
        // As the app answers: a batch that has already finished is refused, naming its status.
        const found = batches.get(cancel[1]!)!;
        const { status } = found;
        if (status === "queued" || status === "running")
          return send(200, { batch: { ...found, status: "cancelled" } });
        const what = status === "cancelled" ? "was already cancelled" : `has already finished (${status})`;
        return send(409, {
          error: `This batch ${what}: there is nothing left to cancel, and nothing was changed.`,
          issues: [],
        });
      }
      const requeue = route.match(/^\/api\/batches\/(\w+)\/(retry|resume)$/);
      if (req.method === "POST" && requeue) {
        // As the app answers: a batch at work queues the cells for its run (nextWave), else a run starts.
        const found = batches.get(requeue[1]!)!;
        const nextWave = found.status === "queued" || found.status === "running";
        const key = requeue[2] === "retry" ? "retried" : "resumed";
        return send(200, { batch: { ...found, status: "running" }, [key]: 2, nextWave });
      }
      const control = route.match(/^\/api\/batches\/(\w+)\/(takes|alternate)$/);
      if (req.method === "POST" && control) {
        const body = (await readBody(req)) as { cells: { promptIndex: number; other?: number }[] };
        posted.push({ route: control[2]!, body });
        const bad = body.cells.findIndex((c) => (c.other ?? 0) > 3);
        if (bad >= 0)
          return send(400, {
            error: "Invalid request for switching takes.",
            issues: [
              {
                path: `cells.${bad}.other`,
                message: "must be below 4: a cell keeps at most that many other takes",
              },
            ],
          });
        const found = batches.get(control[1]!)!;
        return send(200, { batch: found, queued: body.cells.length, swapped: body.cells.length });
      }
      send(404, { error: "not here", issues: [] });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr.push(...String(chunk).split("\n").filter(Boolean));
    return true;
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const batchFile = (prompts: string[], models = ["local-preview"]) => ({
  prompts,
  models,
  style: "neon",
  template: "bottom-bar",
  font: "inter",
});

function writeBatch(content: unknown, bom = false): string {
  const file = path.join(dir, "titles.json");
  writeFileSync(file, `${bom ? "\ufeff" : ""}${JSON.stringify(content)}`);
  return file;
}

/** The matrix rows printed on stdout: [title number, title]. */
const rows = () =>
  stdout
    .filter((line) => line.includes("\t") && !line.startsWith("#\t"))
    .map((line) => line.split("\t").slice(0, 2));

describe("npm run batch -- file --split --wait", () => {
  it("numbers the matrix as in the file, past a blank title and across the batches", async () => {
    const titles = Array.from({ length: 30 }, (_, i) => (i === 3 ? "  " : `Title ${i + 1}`));
    limit = 10;
    const code = await main([writeBatch(batchFile(titles)), "--split", "--wait", "--url", url], env);
    expect(code).toBe(0);
    const printed = rows();
    expect(printed).toHaveLength(29);
    expect(printed.map(([n]) => n)).not.toContain("4");
    for (const [n, title] of printed) expect(title).toBe(`Title ${n}`);
    expect(printed.at(-1)).toEqual(["30", "Title 30"]);
    expect(stderr.join("\n")).toContain("blank title 4 left out");
    // Batch 1 holds titles 1–11 (the blank 4th is not in it), batch 2 titles 12–21, batch 3 22–30.
    expect(stderr.join("\n")).toMatch(/batch b1: titles 1–11,/);
    expect(stderr.join("\n")).toMatch(/batch b3: titles 22–30,/);
    const store = new TokenStore(env);
    expect(store.titles(url, "b1")).toEqual({ from: 1, to: 11, blank: [4] });
    expect(store.titles(url, "b2")).toEqual({ from: 12, to: 21, blank: [] });
  });

  it("gives --json each batch's first title and each cell's title number as in the file", async () => {
    const titles = ["A", "", "B", "C", "D"];
    limit = 2;
    expect(
      await main([writeBatch(batchFile(titles)), "--split", "--wait", "--json", "--url", url], env),
    ).toBe(0);
    const { batches: parts } = JSON.parse(stdout.at(-1)!) as {
      batches: { firstTitle: number; cells: { promptIndex: number; title: number }[] }[];
    };
    expect(parts.map((p) => p.firstTitle)).toEqual([1, 4]);
    expect(parts[0]!.cells.map((c) => c.title)).toEqual([1, 3]);
    expect(parts[1]!.cells.map((c) => [c.promptIndex, c.title])).toEqual([
      [0, 4],
      [1, 5],
    ]);
  });
});

describe("retry and resume", () => {
  it("say whether the cells run now or after the run at work, as the app answered", async () => {
    expect(await main([writeBatch(batchFile(["T1", "T2"])), "--url", url], env)).toBe(0);
    batches.set("b1", { ...batches.get("b1")!, status: "cancelled" });
    expect(await main(["resume", "b1", "--url", url], env)).toBe(0);
    expect(stderr.at(-1)).toBe("batch b1: resuming 2 cancelled cells");
    // Running again (for a retry or new take): its run makes them after the cells under way.
    batches.set("b1", { ...batches.get("b1")!, status: "running" });
    expect(await main(["resume", "b1", "--url", url], env)).toBe(0);
    expect(stderr.at(-1)).toBe(
      "batch b1: queued 2 cancelled cells after the current run: the batch's run makes them once the cells under way have ended",
    );
    expect(await main(["retry", "b1", "--url", url], env)).toBe(0);
    expect(stderr.at(-1)).toMatch(/^batch b1: queued 2 failed cells after the current run:/);
    stdout.length = 0;
    expect(await main(["resume", "b1", "--json", "--url", url], env)).toBe(0);
    expect(JSON.parse(stdout.at(-1)!)).toMatchObject({ action: "resume", count: 2, nextWave: true });
  });
});

describe("take and switch --cell", () => {
  it("take numbers titles as the file did: title 5 of a file with a blank 4th is the batch's 4th row", async () => {
    const titles = ["T1", "T2", "T3", " ", "T5", "T6"];
    expect(await main([writeBatch(batchFile(titles)), "--wait", "--url", url], env)).toBe(0);
    expect(rows().map(([n]) => n)).toEqual(["1", "2", "3", "5", "6"]);
    stdout.length = 0;
    expect(await main(["take", "b1", "--cell", "5:local-preview", "--url", url], env)).toBe(0);
    expect(posted).toEqual([
      { route: "takes", body: { cells: [{ promptIndex: 3, model: "local-preview" }] } },
    ]);
  });

  it("take --wait reports and prints the matrix in the file's numbers", async () => {
    const titles = [" ", "T2", "T3"];
    expect(await main([writeBatch(batchFile(titles)), "--url", url], env)).toBe(0);
    stdout.length = 0;
    expect(await main(["take", "b1", "--cell", "3:local-preview", "--wait", "--url", url], env)).toBe(0);
    expect(posted[0]?.body).toEqual({ cells: [{ promptIndex: 1, model: "local-preview" }] });
    expect(rows()).toEqual([
      ["2", "T2"],
      ["3", "T3"],
    ]);
  });

  it("refuses a blank title or one outside the batch in the file's numbers, asking the app nothing", async () => {
    const titles = Array.from({ length: 6 }, (_, i) => (i === 3 ? "" : `T${i + 1}`));
    limit = 4;
    await main([writeBatch(batchFile(titles)), "--split", "--url", url], env);
    stderr.length = 0;
    expect(await main(["take", "b1", "--cell", "4:local-preview", "--url", url], env)).toBe(2);
    expect(stderr[0]).toBe(
      "batch: --cell 4:local-preview: title 4 of the batch's file is blank, so batch b1 has no cell for it",
    );
    expect(await main(["take", "b2", "--cell", "2:local-preview", "--url", url], env)).toBe(2);
    expect(stderr[1]).toBe(
      "batch: --cell 2:local-preview: batch b2 has no title 2; it holds title 6 of its file",
    );
    expect(await main(["take", "b1", "--cell", "5:local-preview", "--url", url], env)).toBe(0);
    expect(await main(["take", "b2", "--cell", "6:local-preview", "--url", url], env)).toBe(0);
    expect(posted.map((p) => p.body)).toEqual([
      { cells: [{ promptIndex: 3, model: "local-preview" }] },
      { cells: [{ promptIndex: 0, model: "local-preview" }] },
    ]);
  });

  it("maps a retired model id to the successor the batch has, and says so", async () => {
    // The file names gpt-image-1 (retired): the batch's cells are gpt-image-1.5's.
    await main([writeBatch(batchFile(["T1", "T2"], ["gpt-image-1"])), "--url", url], env);
    expect(batches.get("b1")?.models).toEqual(["gpt-image-1.5"]);
    stderr.length = 0;
    expect(await main(["take", "b1", "--cell", "1:gpt-image-1", "--url", url], env)).toBe(0);
    expect(posted[0]?.body).toEqual({ cells: [{ promptIndex: 0, model: "gpt-image-1.5" }] });
    expect(stderr[0]).toMatch(
      /^note: --cell 1:gpt-image-1: gpt-image-1 was retired \(.+\); taken as gpt-image-1\.5, its successor/,
    );
    expect(await main(["switch", "b1", "--cell", "2:gpt-image-1@2", "--url", url], env)).toBe(0);
    expect(posted[1]?.body).toEqual({ cells: [{ promptIndex: 1, model: "gpt-image-1.5", other: 1 }] });
    expect(await main(["take", "b1", "--cell", "1:gpt-image-1,1:gpt-image-1.5", "--url", url], env)).toBe(2);
    expect(stderr.at(-1)).toBe(
      "batch: --cell 1:gpt-image-1 and 1:gpt-image-1.5 name the same cell (title 1 × gpt-image-1.5)",
    );
    expect(await main(["take", "b1", "--cell", "1:local-preview", "--url", url], env)).toBe(2);
    expect(stderr.at(-1)).toBe(
      "batch: --cell 1:local-preview: batch b1 has no model local-preview (its models: gpt-image-1.5)",
    );
    expect(posted).toHaveLength(2);
  });

  it("take names each cell's title and the list price before asking; --dry-run asks nothing", async () => {
    await main([writeBatch(batchFile(["Red fox", "Blue whale"], ["gpt-image-1.5"])), "--url", url], env);
    const one = estimateBatchCost({
      prompts: [""],
      models: ["gpt-image-1.5"],
      canvas: batches.get("b1")!.canvas,
    }).totalUsd;
    expect(one).toBeGreaterThan(0);
    stderr.length = 0;
    stdout.length = 0;
    const take = (...more: string[]) =>
      main(["take", "b1", "--cell", "2:gpt-image-1.5,1:gpt-image-1.5", "--url", url, ...more], env);
    expect(await take("--dry-run")).toBe(0);
    expect(stderr).toEqual([
      `dry run, nothing asked for: 2 new takes of batch b1, ${formatUsd(2 * one)} at list price`,
      "  title 2 × gpt-image-1.5: “Blue whale”",
      "  title 1 × gpt-image-1.5: “Red fox”",
    ]);
    expect(stdout).toEqual([]);
    expect(await take("--dry-run", "--json")).toBe(0);
    expect(JSON.parse(stdout[0]!)).toEqual({
      id: "b1",
      action: "take",
      dryRun: true,
      cells: [
        { title: 2, model: "gpt-image-1.5", prompt: "Blue whale", priceUsd: one },
        { title: 1, model: "gpt-image-1.5", prompt: "Red fox", priceUsd: one },
      ],
      totalUsd: 2 * one,
    });
    expect(posted).toEqual([]);
    stderr.length = 0;
    expect(await take()).toBe(0);
    expect(posted).toHaveLength(1);
    expect(stderr.slice(0, 3)).toEqual([
      `asking for 2 new takes of batch b1, ${formatUsd(2 * one)} at list price:`,
      "  title 2 × gpt-image-1.5: “Blue whale”",
      "  title 1 × gpt-image-1.5: “Red fox”",
    ]);
    // Switching takes costs nothing and has no dry run.
    expect(await main(["switch", "b1", "--cell", "1:gpt-image-1.5", "--dry-run", "--url", url], env)).toBe(2);
    expect(stderr).toContain("batch: --dry-run is not an option of switch");
  });

  it("keeps a retired id that the batch itself has (made before the retirement)", async () => {
    batches.set("old", finished("old", ["T1"], ["gpt-image-1"]));
    expect(await main(["take", "old", "--cell", "1:gpt-image-1", "--url", url], env)).toBe(0);
    expect(posted[0]?.body).toEqual({ cells: [{ promptIndex: 0, model: "gpt-image-1" }] });
  });

  it("switch @n past the other takes a cell keeps is a usage error in the CLI's terms", async () => {
    batches.set("b9", finished("b9", ["T1"], ["local-preview"]));
    expect(await main(["switch", "b9", "--cell", "1:local-preview@9", "--url", url], env)).toBe(2);
    expect(stderr[0]).toBe(
      "batch: --cell 1:local-preview@9: a cell keeps at most 4 other takes, so @<n> is 1 to 4 (1: the one shown most recently)",
    );
    expect(stderr.join("\n")).not.toContain("must be below");
    expect(posted).toHaveLength(0);
  });
});

describe("cancel of a batch that has already finished", () => {
  it("is done already for a cancelled batch (exit 0), and refused for one that ended otherwise (exit 2)", async () => {
    expect(await main([writeBatch(batchFile(["Made"])), "--url", url], env)).toBe(0);
    stdout.length = 0;
    stderr.length = 0;
    expect(await main(["cancel", "b1", "--url", url], env)).toBe(2);
    expect(stderr).toEqual([
      "batch: cannot cancel batch b1 (HTTP 409): This batch has already finished (succeeded): there is nothing left to cancel, and nothing was changed.",
    ]);
    expect(stdout).toEqual([]);

    batches.set("b1", { ...batches.get("b1")!, status: "cancelled" });
    stderr.length = 0;
    expect(await main(["cancel", "b1", "--url", url], env)).toBe(0);
    expect([stdout, stderr]).toEqual([[`${url}/b/b1`], ["batch b1: already cancelled; nothing was changed"]]);
  });
});

describe("--json failures", () => {
  const printed = () => stdout.map((line) => JSON.parse(line) as unknown);

  it("print one {error, issues} object on stdout for every command, with the exit code unchanged", async () => {
    expect(await main([writeBatch(batchFile(["Made"])), "--url", url], env)).toBe(0);
    stdout.length = 0;
    stderr.length = 0;
    expect(await main(["cancel", "b1", "--json", "--url", url], env)).toBe(2);
    const refused =
      "cannot cancel batch b1 (HTTP 409): This batch has already finished (succeeded): there is nothing left to cancel, and nothing was changed.";
    expect(printed()).toEqual([{ error: refused, issues: [] }]);
    // The human line still goes to stderr.
    expect(stderr).toEqual([`batch: ${refused}`]);

    for (const command of ["status", "wait", "retry", "resume", "resend", "download"]) {
      stdout.length = 0;
      expect(await main([command, "nope", "--json", "--url", url], env), command).toBe(2);
      expect(printed(), command).toEqual([{ error: expect.stringMatching(/nope/), issues: [] }]);
    }
  });

  it("print the usage error as JSON too, and the submit refusal with its field issues", async () => {
    expect(await main(["list", "--limit", "0", "--json", "--url", url], env)).toBe(2);
    expect(printed()).toEqual([
      { error: '--limit must be a whole number from 1 to 1000, got "0"', issues: [] },
    ]);

    stdout.length = 0;
    expect(await main([writeBatch(batchFile([])), "--json", "--url", url], env)).toBe(2);
    expect(printed()).toEqual([
      { error: "Invalid batch request.", issues: [expect.objectContaining({ path: "prompts" })] },
    ]);
  });
});

describe("batch files with a byte order mark", () => {
  it("reads a file saved as UTF-8 with a BOM", async () => {
    const file = writeBatch(batchFile(["Brew coffee"]), true);
    expect(await main([file, "--url", url], env)).toBe(0);
    expect(batches.get("b1")?.prompts).toEqual(["Brew coffee"]);
  });

  it("reads stdin with a BOM", async () => {
    const { Readable } = await import("node:stream");
    const stdin = Readable.from([Buffer.from(`\ufeff${JSON.stringify(batchFile(["From stdin"]))}`)]);
    vi.spyOn(process, "stdin", "get").mockReturnValue(stdin as unknown as typeof process.stdin);
    expect(await main(["-", "--url", url], env)).toBe(0);
    expect(batches.get("b1")?.prompts).toEqual(["From stdin"]);
  });
});

describe("usage errors", () => {
  it("say what was wrong and where the help is, without the whole usage after a typo", async () => {
    expect(await main(["list", "--limit", "0", "--url", url], env)).toBe(2);
    expect(stderr).toEqual([
      'batch: --limit must be a whole number from 1 to 1000, got "0"',
      "batch: npm run batch -- --help lists the commands and options",
    ]);
  });

  it("print the whole usage for a bare npm run batch", async () => {
    expect(await main([], env)).toBe(2);
    expect(stderr[0]).toBe("batch: name a batch file (or - for stdin), or a command");
    expect(stderr[1]).toMatch(/^usage: npm run batch -- /);
    expect(stdout).toEqual([]);
  });
});
