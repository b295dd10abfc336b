import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { signinPath } from "@/lib/access";
import { hasStudioAccess } from "@/lib/access-request";
import { BatchLive } from "@/components/batch/batch-live";
import { ClearSentDraft } from "@/components/studio/clear-sent-draft";
import { getCanvas, isCanvasId, DEFAULT_CANVAS_ID } from "@/lib/catalog/canvases";
import { lookLabel } from "@/lib/catalog/labels";
import { modelLabel } from "@/lib/catalog/models";
import { takePrices } from "@/lib/batches/controls";
import { ownsBatch } from "@/lib/batches/owner-cookie";
import { readBatchChecked } from "@/lib/batches/check-run";
import { batchForVisitors } from "@/lib/batches/dto";
import { verifiedNotice } from "@/lib/batches/form-return";
import { RESENT_NOTE } from "@/lib/batches/requeued-note";
import { stalledNow } from "@/lib/batches/stalled";
import { batchPageHref, openAtParam, pageInfo, toWire } from "@/lib/batches/paging";
import { readBatch } from "@/lib/batches/service";
import { readEnv } from "@/lib/env";
import { contactSheetVersion } from "@/lib/export/contact-sheet-cache";
import { SHEET_HEIGHT, SHEET_WIDTH } from "@/lib/export/contact-sheet-layout";
import { siteOrigin } from "@/lib/export/origin";
import { contactSheetUrl } from "@/lib/export/urls";
import { studioOptions } from "@/lib/studio/options";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = await readBatch((await params).id);
  if (!found) return { title: "Batch not found" };
  const b = found.batch;
  const title = `${b.prompts.length} × ${b.models.length} thumbnails`;
  const description = b.prompts.slice(0, 3).join(" · ");
  // Crawlers need absolute URLs; the versioned sheet URL changes whenever the grid does.
  const origin = siteOrigin(await headers());
  const image = `${origin ?? ""}${contactSheetUrl(b.id, contactSheetVersion(b))}`;
  const images = [{ url: image, width: SHEET_WIDTH, height: SHEET_HEIGHT, type: "image/jpeg", alt: title }];
  return {
    title,
    description,
    metadataBase: origin ? new URL(origin) : undefined,
    openGraph: { type: "website", title, description, url: `${origin ?? ""}/b/${b.id}`, images },
    twitter: { card: "summary_large_image", title, description, images },
  };
}

function restyleOptions() {
  const { templates, fonts, canvases } = studioOptions();
  return { templates, fonts, canvases };
}

/** The batch page and its shareable result page: server-rendered from the database, then live. */
export default async function BatchPage({ params, searchParams }: Props) {
  const { id } = await params;
  const found = await readBatchChecked(id);
  if (!found) notFound();
  const query = await searchParams;
  const page = pageInfo(found.batch.prompts.length, readEnv().BATCH_PAGE_TITLES, query.page);
  const owner = await ownsBatch(id);
  // Restyling makes a new batch and a new take spends: behind the studio password when one is set.
  const mayRestyle = owner && (await hasStudioAccess());
  const canvas = getCanvas(isCanvasId(found.batch.canvas) ? found.batch.canvas : DEFAULT_CANVAS_ID);
  // Why a control posted without JavaScript was refused, or what its retry or resume did
  // (lib/batches/form-return): shown as text.
  const notice = verifiedNotice(id, query.notice, query.sig);
  const done = notice ? null : verifiedNotice(id, query.done, query.sig, "done");
  // A batch no run has started is said so at once (the hint and, for its creator, the resend form, so
  // they work without JavaScript), except right after it was sent again: the engine gets its time.
  const stalled = done !== RESENT_NOTE && stalledNow(found.batch);
  return (
    <main className="mx-auto max-w-7xl px-4 py-8">
      {owner ? <ClearSentDraft /> : null}
      {notice ? (
        <p
          role="alert"
          data-testid="form-notice"
          className="mb-6 rounded border border-red-900 bg-red-950/40 p-2 text-sm text-red-200 [overflow-wrap:anywhere]"
        >
          Not done: {notice}
        </p>
      ) : null}
      {done ? (
        <p
          role="status"
          data-testid="form-done"
          className="mb-6 rounded border border-sky-900/60 bg-sky-950/40 p-2 text-sm text-sky-100 [overflow-wrap:anywhere]"
        >
          {done}
        </p>
      ) : null}
      <BatchLive
        initial={toWire(owner ? found.batch : batchForVisitors(found.batch), page)}
        lastEventId={found.lastEventId}
        canManage={owner}
        aspect={canvas.width / canvas.height}
        restyle={mayRestyle ? restyleOptions() : undefined}
        takePrices={mayRestyle ? takePrices(found.batch).prices : undefined}
        modelLabels={Object.fromEntries(found.batch.models.map((m) => [m, modelLabel(m)]))}
        look={lookLabel(found.batch)}
        openAt={openAtParam(query.open)}
        stalledAtLoad={stalled}
      />
      {owner && !mayRestyle ? (
        <p className="mt-6 text-sm text-zinc-400" data-testid="restyle-signin">
          <a href={signinPath(batchPageHref(id, page.page))} className="text-sky-400 hover:underline">
            Sign in
          </a>{" "}
          with the studio password to restyle this batch or ask for new takes.
        </p>
      ) : null}
    </main>
  );
}
