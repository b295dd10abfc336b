import { cookies } from "next/headers";
import { submitBatch } from "@/lib/batches/service";
import { ownerCookieName } from "@/lib/batches/owner";
import { jsonError, readJson } from "@/lib/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Accepts {prompts, models, style, template, font, ...} or the seeds' positional batch.json array. */
export async function POST(request: Request) {
  const body = await readJson(request);
  if (!body.ok) return body.response;
  const result = await submitBatch(body.value);
  if (!result.ok) return jsonError(result.status, result.error, result.issues);
  (await cookies()).set(ownerCookieName(result.id), result.ownerToken, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60 * 60 * 24 * 365,
  });
  const url = new URL(`/b/${result.id}`, request.url).toString();
  return Response.json(
    { id: result.id, url, ownerToken: result.ownerToken, batch: result.batch },
    { status: 201 },
  );
}
