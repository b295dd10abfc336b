/**
 * `npm run sim` on a port something already listens on: one line saying so and what to do, exit 2,
 * not the message of a failed listen followed by the usage (it is not a usage error).
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
let busy: Server;
let port: number;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  port = (busy.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
});

it("names the port in use and how to pick another, without the usage", async () => {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/sim.ts", "--port", String(port)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(code).toBe(2);
  expect(stderr.trim()).toBe(
    `sim: 127.0.0.1:${port} is in use (another simulator or app?); pick another with --port, or 0 for any free one`,
  );
});
