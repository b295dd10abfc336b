/**
 * Embedded mode runs the app's Inngest SDK in cloud mode against the local engine: /api/inngest runs
 * nothing for a request the engine did not sign, and the engine's API wants the install's keys.
 */
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRequest } from "@/engine/auth";
import { KEYS_FILE } from "../../scripts/lib/embedded-keys";
import { startStack, type Stack } from "../helpers/stack";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

const serve = () => `${stack.appUrl}/api/inngest`;
const otherKey = () => `signkey-local-${randomBytes(32).toString("hex")}`;

describe("the Inngest endpoint in embedded mode", () => {
  it("refuses calls that the engine did not sign", async () => {
    const event = { name: "batch/requested", data: { batchId: "forged", reason: "new" }, id: "x", ts: 1 };
    const body = JSON.stringify({
      event,
      events: [event],
      steps: {},
      ctx: {
        run_id: "forged",
        attempt: 0,
        max_attempts: 1,
        disable_immediate_execution: false,
        use_api: false,
      },
      version: -1,
    });
    const url = `${serve()}?fnId=thumbnail-studio-run-batch&stepId=step`;
    for (const signature of [undefined, signRequest(body, otherKey()), "t=1&s=00"]) {
      const res = await fetch(url, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          ...(signature ? { "x-inngest-signature": signature } : {}),
        },
      });
      expect(res.status, `signature ${signature}`).toBe(401);
      expect(await res.json()).toEqual({ message: "Unauthorized" });
    }
    const put = JSON.stringify({ url: serve() });
    const sync = await fetch(serve(), {
      method: "PUT",
      body: put,
      headers: { "x-inngest-sync-kind": "in_band" },
    });
    expect(sync.status).toBe(401);
    expect((await fetch(serve())).status).toBe(401);
  });

  it("answers the engine's key: cloud mode, signature checked", async () => {
    const res = await fetch(serve(), {
      headers: { "x-inngest-signature": signRequest("", stack.keys.signingKey) },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      mode: "cloud",
      authentication_succeeded: true,
      has_signing_key: true,
      has_event_key: true,
      api_origin: stack.engineUrl,
      event_api_origin: stack.engineUrl,
    });
  });

  it("keeps the keys in the data dir, readable by its owner only", () => {
    expect(statSync(path.join(stack.dataDir, KEYS_FILE)).mode & 0o777).toBe(0o600);
  });

  it("has the engine refuse events and API calls without the install's keys", async () => {
    const event = JSON.stringify([{ name: "batch/requested", data: { batchId: "nope", reason: "new" } }]);
    expect((await fetch(`${stack.engineUrl}/e/guessed`, { method: "POST", body: event })).status).toBe(401);
    expect((await fetch(`${stack.engineUrl}/v1/runs`)).status).toBe(401);
    expect((await stack.engineApi("/v1/runs")).status).toBe(200);
  });
});
