/**
 * `npm start` passes a stop on to scripts/start.ts: npm forwards SIGTERM (a service manager's stop,
 * `docker stop`) to the script's shell, and a shell waiting on its command dies without passing it on,
 * which left the app and the engine running without their parent, holding the ports and the data
 * folder, and skipped the gentle stop. The script `exec`s node with tsx as a loader, so npm's child is
 * start.ts itself (tsx's CLI wrapper relays a signal too, but SIGKILLs a child slow to acknowledge it).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "npm-signal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the npm start script", () => {
  it("hands a SIGTERM sent to its shell, as npm sends it, to the script", async () => {
    const { scripts } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts: { start: string };
    };
    // start.ts as a stand-in that says which signal reached it.
    const standIn = path.join(dir, "stand-in.ts");
    writeFileSync(
      standIn,
      `process.on("SIGTERM", () => { console.log("got SIGTERM"); process.exit(0); });
console.log("ready");
setTimeout(() => process.exit(3), 20_000);
`,
    );
    expect(scripts.start).toContain("scripts/start.ts");
    // As npm runs a script: `sh -c <script>`, with node_modules/.bin on the PATH.
    const child = spawn("sh", ["-c", scripts.start.replace("scripts/start.ts", standIn)], {
      cwd: root,
      env: { ...process.env, PATH: `${path.join(root, "node_modules/.bin")}:${process.env.PATH}` },
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const said = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (out.includes(text) ? resolve() : void child.stdout.once("data", check));
        check();
      });
    await said("ready");
    child.kill("SIGTERM");
    await said("got SIGTERM");
    expect(out.trim().split("\n")).toEqual(["ready", "got SIGTERM"]);
  }, 15_000);
});
