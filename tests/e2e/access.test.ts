/**
 * The studio password gate (STUDIO_PASSWORD) on the whole stack: signed-out pages go to /signin and APIs
 * that create or list work answer 401, a wrong password gets the form again with 401, the right one (with
 * and without JavaScript) opens the studio, shared batch pages stay public, the CLI sends the password,
 * server actions check for themselves, and sign-out works but not from another site; signing out
 * everywhere ends every session, copied cookies included.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { submitBatch } from "../../scripts/lib/batch-client";
import { BASE_REQUEST, settled } from "../fixtures/batch-helpers";
import { checkA11y } from "../helpers/a11y";
import { artifactsDir, openBrowser } from "../helpers/browser";
import { startStack, type Stack } from "../helpers/stack";

const PASSWORD = "correct horse battery staple";
const root = path.resolve(import.meta.dirname, "../..");
let stack: Stack;
let config: string;

beforeAll(async () => {
  config = mkdtempSync(path.join(os.tmpdir(), "access-cli-"));
  stack = await startStack({ STUDIO_PASSWORD: PASSWORD });
});

afterAll(async () => {
  await stack?.stop();
  if (config) rmSync(config, { recursive: true, force: true });
});

const url = (p: string) => new URL(p, stack.appUrl).toString();
const get = (p: string, headers: Record<string, string> = {}) =>
  fetch(url(p), { headers, redirect: "manual" });
const postJson = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url(p), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    redirect: "manual",
  });
const form = (p: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url(p), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
const auth = { authorization: `Bearer ${PASSWORD}` };

async function batchCount(): Promise<number> {
  const res = await get("/api/batches?limit=100", auth);
  expect(res.status).toBe(200);
  return ((await res.json()) as { batches: unknown[] }).batches.length;
}

/** The session cookie as `name=value`, from a successful sign-in. */
async function signIn(): Promise<string> {
  const res = await form("/signin", { password: PASSWORD, next: "/gallery" });
  expect([res.status, res.headers.get("location")]).toEqual([303, "/gallery"]);
  const set = res.headers.get("set-cookie") ?? "";
  expect(set).toMatch(/^studio_session=\d+\.[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
  return set.split(";")[0] as string;
}

describe("signed out", () => {
  it("pages redirect to /signin, gated APIs answer 401 and create nothing, shared things stay open", async () => {
    for (const [p, next] of [
      ["/", "%2F"],
      ["/gallery?model=local-preview", "%2Fgallery%3Fmodel%3Dlocal-preview"],
    ] as const) {
      const res = await get(p);
      expect([res.status, res.headers.get("location")]).toEqual([307, `/signin?next=${next}`]);
    }
    const before = await batchCount();
    const refused = await postJson("/api/batches", BASE_REQUEST);
    expect(refused.status).toBe(401);
    const body = (await refused.json()) as { error: string; issues: unknown[] };
    expect(body.issues).toEqual([]);
    expect(body.error).toContain("Authorization: Bearer <STUDIO_PASSWORD>");
    expect((await postJson("/api/batches", BASE_REQUEST, { authorization: "Bearer nope" })).status).toBe(401);
    expect(await batchCount()).toBe(before);
    for (const p of [
      "/api/images",
      "/api/images/zip?ids=x",
      "/api/batches",
      "/api/preview?template=bottom-bar&font=inter",
    ])
      expect([p, (await get(p)).status]).toEqual([p, 401]);
    expect((await get("/api/health")).status).toBe(200);
    expect((await get("/api/batches/nonexistent")).status).toBe(404);
    // The tab icon every page links to (a share page's visitor is signed out too).
    const icon = await get("/icon.svg");
    expect([icon.status, icon.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
  });

  it("a wrong password gets the form again with the error beside the field (401)", async () => {
    const res = await form("/signin", { password: "wrong", next: "/gallery" });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain('aria-describedby="password-error"');
    expect(html).toContain(
      '<p id="password-error" class="error" role="alert">That password is not right.</p>',
    );
    expect(html).toContain('name="next" value="/gallery"');
    // next= never leaves the site.
    const offsite = await form("/signin", { password: PASSWORD, next: "//evil.example/x" });
    expect(offsite.headers.get("location")).toBe("/");
  });
});

describe("signed in", () => {
  it("in Chromium: sign in, create a batch through the form; its share page opens signed out", async () => {
    const browser = await openBrowser();
    const stranger = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(stack.appUrl, { waitUntil: "load" });
      expect(new URL(page.url()).pathname).toBe("/signin");
      expect(await checkA11y(page)).toEqual([]);
      await page.getByLabel("Studio password").fill("not it");
      const [wrong] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/signin") && r.request().method() === "POST"),
        page.getByRole("button", { name: "Sign in" }).click(),
      ]);
      expect(wrong.status()).toBe(401);
      await expect.poll(() => page.getByRole("alert").textContent()).toBe("That password is not right.");
      expect(await checkA11y(page)).toEqual([]);
      await page.screenshot({ path: path.join(artifactsDir, "signin-wrong-password.png") });
      await page.getByLabel("Studio password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${stack.appUrl}/`);
      const [cookie] = await browser.context.cookies();
      expect(cookie).toMatchObject({
        name: "studio_session",
        httpOnly: true,
        sameSite: "Lax",
        secure: false,
      });

      await page.screenshot({ path: path.join(artifactsDir, "studio-signed-in.png") });
      await page.getByLabel("Title 1", { exact: true }).fill("Behind the password");
      await page.getByRole("button", { name: "Generate thumbnails" }).click();
      await page.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
      const share = page.url();
      await settled(stack.appUrl, share.split("/b/")[1] as string);

      const open = await stranger.context.newPage();
      await open.goto(share, { waitUntil: "load" });
      const loaded = () =>
        open.$$eval('[data-testid="cell"][data-status="succeeded"] img', (imgs) =>
          imgs.map((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0),
        );
      await expect.poll(loaded, { timeout: 30_000 }).toEqual([true]);
      expect(await open.locator('link[rel="icon"]').getAttribute("href")).toMatch(/^\/icon\.svg/);
      expect(await open.getByRole("button", { name: /^Sign out/ }).count()).toBe(0);
      await open.goto(url("/gallery"), { waitUntil: "load" });
      expect(new URL(open.url()).pathname).toBe("/signin");

      await page.getByRole("button", { name: "Sign out", exact: true }).click();
      await page.waitForURL(/\/signin$/);
      await page.goto(url("/gallery"), { waitUntil: "load" });
      expect(new URL(page.url()).pathname).toBe("/signin");

      // The session ends with the studio open: the form's action call is refused with a readable reason.
      await page.goto(url("/signin?next=%2F"), { waitUntil: "load" });
      await page.getByLabel("Studio password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${stack.appUrl}/`);
      await page.getByLabel("Title 1", { exact: true }).fill("Too late");
      await browser.context.clearCookies();
      const before = await batchCount();
      await page.getByRole("button", { name: "Generate thumbnails" }).click();
      await expect
        .poll(() => page.getByText("Your studio session has ended: sign in again at /signin.").count())
        .toBe(1);
      // Said beside the button, the form still there (the error page replaced it).
      expect(await page.getByLabel("Title 1", { exact: true }).inputValue()).toBe("Too late");
      expect(await batchCount()).toBe(before);
      // What was typed is not lost: signed in again, the studio brings the unsent draft back.
      await page.goto(url("/signin?next=%2F"), { waitUntil: "load" });
      await page.getByLabel("Studio password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${stack.appUrl}/`);
      await expect.poll(() => page.getByLabel("Title 1", { exact: true }).inputValue()).toBe("Too late");
      expect(await page.getByText("Restored your unsent draft").count()).toBe(1);
    } finally {
      await browser.close();
      await stranger.close();
    }
  });

  it("with JavaScript off: the plain form signs in and the studio form creates a batch", async () => {
    const browser = await openBrowser({ javaScriptEnabled: false });
    try {
      const page = await browser.context.newPage();
      await page.goto(url("/gallery"), { waitUntil: "load" });
      expect(page.url()).toBe(url("/signin?next=%2Fgallery"));
      await page.getByLabel("Studio password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(url("/gallery"));
      await page.goto(stack.appUrl, { waitUntil: "load" });
      await page.getByLabel("Title 1", { exact: true }).fill("No scripts needed");
      await page.getByRole("button", { name: "Generate thumbnails" }).click();
      await page.waitForURL(/\/b\/[A-Za-z0-9_-]{33}$/);
      await settled(stack.appUrl, page.url().split("/b/")[1] as string);
    } finally {
      await browser.close();
    }
  });

  it("API clients send the password as Bearer or X-Studio-Password; restyle keeps the owner token", async () => {
    const created = await postJson("/api/batches", BASE_REQUEST, auth);
    expect(created.status).toBe(201);
    const { id, ownerToken } = (await created.json()) as { id: string; ownerToken: string };
    // The owner cookie, a credential, is Secure behind a TLS proxy, as the session cookie is.
    expect(created.headers.get("set-cookie")).toMatch(new RegExp(`^owner_${id}=${ownerToken};.* HttpOnly;`));
    expect(created.headers.get("set-cookie")).not.toMatch(/; Secure/i);
    const tls = await postJson("/api/batches", BASE_REQUEST, { ...auth, "x-forwarded-proto": "https" });
    expect(tls.headers.get("set-cookie")).toMatch(/^owner_[\w-]+=[\w-]{43};.*; Secure;/);
    await settled(stack.appUrl, ((await tls.json()) as { id: string }).id);
    await settled(stack.appUrl, id);
    const viaHeader = await submitBatch(stack.appUrl, BASE_REQUEST, { studioPassword: PASSWORD });
    expect(viaHeader.ok).toBe(true);
    expect((await get("/api/images", auth)).status).toBe(200);
    const preview = await get("/api/preview?template=bottom-bar&font=inter", {
      "x-studio-password": PASSWORD,
    });
    expect([preview.status, preview.headers.get("cache-control")]).toEqual([200, "private, max-age=86400"]);
    const owner = { authorization: `Bearer ${ownerToken}` };
    expect((await postJson(`/api/batches/${id}/restyle`, { font: "inter" }, owner)).status).toBe(401);
    const both = { ...owner, "x-studio-password": PASSWORD };
    expect((await postJson(`/api/batches/${id}/restyle`, { template: "center-box" }, both)).status).toBe(201);
  });

  it("server actions check access themselves: a restyle posted after the session is gone is refused", async () => {
    const created = await postJson("/api/batches", BASE_REQUEST, auth);
    const { id, ownerToken } = (await created.json()) as { id: string; ownerToken: string };
    await settled(stack.appUrl, id);
    const owner = { name: `owner_${id}`, value: ownerToken, url: stack.appUrl };
    const browser = await openBrowser({ javaScriptEnabled: false, height: 1400 });
    try {
      await browser.context.addCookies([owner]);
      const page = await browser.context.newPage();
      // Signed out, the owner sees no restyle panel: restyling makes a new batch.
      await page.goto(url(`/b/${id}`), { waitUntil: "load" });
      expect(await page.getByText(/^Restyle: the same pictures/).count()).toBe(0);
      expect(await page.getByTestId("restyle-signin").textContent()).toMatch(
        /Sign in with the studio password/,
      );
      await page.goto(url(`/signin?next=%2Fb%2F${id}`), { waitUntil: "load" });
      await page.getByLabel("Studio password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(url(`/b/${id}`));
      await page.getByText(/^Restyle: the same pictures/).click();
      await page.locator("label", { hasText: "Oswald" }).click();
      // The session ends with the form open: the share page's POST passes the proxy (it is public), so
      // only the action's own check stands in the way.
      await browser.context.clearCookies();
      await browser.context.addCookies([owner]);
      const before = await batchCount();
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Create restyled batch" }).click(),
      ]);
      // The action ran (200: its state, not the proxy's 401, not a 303 to a new batch) and made nothing.
      expect(answer.status()).toBe(200);
      await page.waitForLoadState("load");
      // Nothing made: the same page again, now offering to sign in instead of the restyle form.
      expect(new URL(page.url()).pathname).toBe(`/b/${id}`);
      await expect.poll(() => page.getByTestId("restyle-signin").count()).toBe(1);
      expect(await batchCount()).toBe(before);
    } finally {
      await browser.close();
    }
  });

  it("the CLI submits and restyles with STUDIO_PASSWORD and says what is missing without it (exit 2)", async () => {
    const input = JSON.stringify({ ...BASE_REQUEST, prompts: ["From the command line"] });
    const ok = await cli(["-", "--url", stack.appUrl], input, { STUDIO_PASSWORD: PASSWORD });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toMatch(/\/b\/[A-Za-z0-9_-]{22}$/);
    // Restyle sends the saved owner token (Authorization) and the password (X-Studio-Password) together.
    const id = ok.stdout.trim().split("/b/")[1] as string;
    await settled(stack.appUrl, id);
    const restyle = ["restyle", id, "--template", "center-box", "--url", stack.appUrl];
    const restyled = await cli(restyle, "", { STUDIO_PASSWORD: PASSWORD });
    expect(restyled.code, restyled.stderr).toBe(0);
    const refused = await cli(restyle, "", {});
    expect([refused.code, refused.stderr.trim()]).toEqual([
      2,
      `batch: cannot restyle batch ${id}: the app is password-protected: set STUDIO_PASSWORD to its studio password`,
    ]);
    const none = await cli(["-", "--url", stack.appUrl], input, {});
    expect([none.code, none.stderr.trim()]).toEqual([
      2,
      "batch: the app is password-protected: set STUDIO_PASSWORD to its studio password",
    ]);
    const wrong = await cli(["-", "--url", stack.appUrl], input, { STUDIO_PASSWORD: "nope" });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("check STUDIO_PASSWORD");
    // The list of batches is behind the password too.
    const listed = await cli(["list", "--json", "--url", stack.appUrl], "", { STUDIO_PASSWORD: PASSWORD });
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { batches: { id: string }[] }).batches.map((b) => b.id)).toContain(
      id,
    );
    const unlisted = await cli(["list", "--url", stack.appUrl], "", {});
    expect([unlisted.code, unlisted.stderr.trim()]).toEqual([
      2,
      "batch: cannot list batches: the app is password-protected: set STUDIO_PASSWORD to its studio password",
    ]);
  });

  it("sign-out clears the cookie, and is refused when another site posts it", async () => {
    const session = await signIn();
    const forgeries: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { origin: "http://elsewhere.test" },
    ];
    for (const forged of forgeries) {
      const res = await form("/signout", {}, { cookie: session, ...forged });
      expect(res.status).toBe(403);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect((await get("/gallery", { cookie: session })).status).toBe(200);
    const out = await form("/signout", {}, { cookie: session, "sec-fetch-site": "same-origin" });
    expect([out.status, out.headers.get("location")]).toEqual([303, "/signin"]);
    expect(out.headers.get("set-cookie")).toMatch(/^studio_session=; Path=\/; Max-Age=0; HttpOnly/);
    // Behind a TLS proxy the cookie is Secure.
    const tls = await form("/signin", { password: PASSWORD }, { "x-forwarded-proto": "https" });
    expect(tls.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  it("sign-out forgets one browser's cookie; sign-out everywhere ends every session, copies included", async () => {
    const same = { "sec-fetch-site": "same-origin" };
    const [mine, theirs] = [await signIn(), await signIn()];
    // Plain sign-out clears this browser's cookie only: a copy of it taken before still passes.
    await form("/signout", {}, { cookie: mine, ...same });
    expect((await get("/gallery", { cookie: mine })).status).toBe(200);
    // Ending every session needs access to the studio.
    const refused = await form("/signout", { everywhere: "1" }, same);
    expect(refused.status).toBe(401);
    expect((await get("/gallery", { cookie: theirs })).status).toBe(200);
    const out = await form("/signout", { everywhere: "1" }, { cookie: mine, ...same });
    expect([out.status, out.headers.get("location")]).toEqual([303, "/signin"]);
    for (const cookie of [mine, theirs]) {
      expect((await get("/gallery", { cookie })).status).toBe(307);
      expect((await get("/api/images", { cookie })).status).toBe(401);
    }
    // Signing in again works, and the password itself never stopped working.
    expect((await get("/gallery", { cookie: await signIn() })).status).toBe(200);
    expect((await get("/api/images", auth)).status).toBe(200);
  });
});

function cli(args: string[], stdin: string, env: Record<string, string>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: config, ...env };
  if (!("STUDIO_PASSWORD" in env)) delete childEnv.STUDIO_PASSWORD;
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["scripts/batch.ts", ...args], {
      cwd: root,
      env: childEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(stdin);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
