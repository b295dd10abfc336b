import { studioPassword } from "@/lib/access";
import { denyWithoutAccess } from "@/lib/access-request";
import { jsonError, notAllowed, apiRoute } from "@/lib/http";
import { parsePreviewParams, renderPreview } from "@/lib/studio/preview";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/preview?template=&font=&style=&canvas=&title= → a small JPEG from the real compositor. */
export const GET = apiRoute(async function GET(request: Request) {
  const denied = await denyWithoutAccess(request);
  if (denied) return denied;
  const parsed = parsePreviewParams(new URL(request.url).searchParams);
  if (!parsed.ok) return jsonError(400, "Invalid preview request.", parsed.issues);
  const bytes = await renderPreview(parsed.value);
  return new Response(new Uint8Array(bytes), {
    // Behind the studio password a shared cache must not hand previews to strangers.
    headers: { "content-type": "image/jpeg", "cache-control": `${cacheScope()}, max-age=86400` },
  });
});

const cacheScope = () => (studioPassword(process.env) ? "private" : "public");

export const { POST, PUT, PATCH, DELETE, OPTIONS } = notAllowed("GET");
