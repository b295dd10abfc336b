/**
 * The session epoch while the database does not answer: a server that never read it takes no session
 * cookie (the password still passes) and starts no session; one that read it goes on with that value.
 */
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as signIn } from "@/app/signin/route";
import { signSession } from "@/lib/access";
import { closeDb } from "@/lib/db";
import { EPOCH_CACHE_MS, forgetSessionEpoch, sessionEpoch } from "@/lib/session-epoch";
import { proxy } from "@/proxy";

const SECRET = "epoch-unreadable-test-secret";
const UNREACHABLE = "postgres://postgres@127.0.0.1:1/none"; // nothing listens on port 1
const saved = { ...process.env };
const passes = (res: Response) => res.headers.get("x-middleware-next") === "1";
const gallery = (headers: Record<string, string>) =>
  proxy(new NextRequest("http://studio.test/gallery", { headers }));
const form = () =>
  signIn(
    new Request("http://studio.test/signin", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" },
      body: new URLSearchParams({ password: "pw", next: "/gallery" }),
    }),
  );

beforeEach(() => {
  Object.assign(process.env, { STUDIO_PASSWORD: "pw", APP_SECRET: SECRET, ADMIN_TOKEN: "" });
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await closeDb();
  forgetSessionEpoch();
  process.env = saved;
});

describe("the session epoch while the database does not answer", () => {
  it("with none read yet: no cookie passes and no session starts, the password still passes", async () => {
    await closeDb();
    forgetSessionEpoch();
    process.env.DATABASE_URL = UNREACHABLE;
    const cookie = `studio_session=${signSession("pw", Buffer.from(SECRET))}`;
    expect((await gallery({ cookie })).status).toBe(307);
    expect(passes(await gallery({ "x-studio-password": "pw" }))).toBe(true);
    const refused = await form();
    expect([refused.status, refused.headers.get("set-cookie")]).toEqual([503, null]);
    expect(await refused.text()).toContain(
      "Sessions cannot be started while the studio&#39;s database does not answer",
    );
    expect(console.error).toHaveBeenCalledWith(
      expect.stringMatching(/^access: could not read the session epoch: /),
    );
  });

  it("with one read before: goes on with it", async () => {
    await closeDb();
    forgetSessionEpoch();
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DIR = "memory";
    const signed = await form();
    expect(signed.status).toBe(303);
    const cookie = (signed.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(passes(await gallery({ cookie }))).toBe(true);
    const read = await sessionEpoch();
    await closeDb();
    process.env.DATABASE_URL = UNREACHABLE;
    expect(await sessionEpoch(Date.now() + EPOCH_CACHE_MS + 1)).toBe(read);
    expect(passes(await gallery({ cookie }))).toBe(true);
  });
});
