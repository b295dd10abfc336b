/**
 * The batch CLI through a real pipe: a large --json answer reaches a slow reader whole (writes to a pipe
 * are asynchronous in Node, and exiting right after them cut the output at 64 kB).
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BatchDto } from "@/lib/batches/dto";
import { batch, cell } from "../helpers/batch-dto";

let server: Server;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), "cli-pipe-"));
  const cells = Array.from({ length: 6000 }, (_, i) =>
    cell(i, {
      id: `cell-${i}`,
      prompt: `A long enough title for row ${i}, so the answer runs past the buffers of a pipe or socket pair`,
      status: "succeeded",
      imageUrl: `/api/blob/final/b1/${i}-local-preview.jpg?v=1`,
    }),
  );
  const dto: BatchDto = { ...batch(cells), status: "succeeded" };
  const body = JSON.stringify(dto);
  server = createServer((req, res) => {
    if (req.url === "/api/batches/b1") res.writeHead(200, { "content-type": "application/json" }).end(body);
    else res.writeHead(404, { "content-type": "application/json" }).end('{"error":"no","issues":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

it("prints a large --json answer whole to a slow pipe, and exits 0", async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const child = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["scripts/batch.ts", "status", "b1", "--json", "--url", url],
    { env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home }, stdio: ["ignore", "pipe", "pipe"] },
  );
  // Read nothing for a while: the CLI's writes back up in the pipe, as behind `| jq` on a busy machine.
  const chunks: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  child.stdout.pause();
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  child.stdout.resume();
  expect(await exited).toBe(0);
  const text = Buffer.concat(chunks).toString("utf8");
  expect(text.length).toBeGreaterThan(1_000_000);
  const printed = JSON.parse(text) as { cells: unknown[] };
  expect(printed.cells).toHaveLength(6000);
}, 30_000);
