import type { Metadata } from "next";
import { cookies } from "next/headers";
import Image from "next/image";
import Link from "next/link";
import { AutoRefresh } from "@/components/auto-refresh";
import { StatusBadge } from "@/components/batch/status-badge";
import { lookLabel } from "@/lib/catalog/labels";
import { modelLabel } from "@/lib/catalog/models";
import {
  BATCH_STATUSES,
  getDb,
  InvalidCursorError,
  listBatches,
  TERMINAL_BATCH_STATUSES,
  type BatchStatus,
} from "@/lib/db";
import { BROWSER_KEY_COOKIE, canManage, ownerCookieName } from "@/lib/batches/owner";
import { batchListItem, type BatchListItem } from "@/lib/batches/service";
import { formatUsd, plural } from "@/lib/format";
import { firstChars, unstorable } from "@/lib/user-text";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Batches" };

const PAGE_SIZE = 30;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const isStatus = (v: string | undefined): v is BatchStatus =>
  v !== undefined && (BATCH_STATUSES as readonly string[]).includes(v);

function href(status: BatchStatus | undefined, search: string | undefined, cursor?: string | null) {
  const q = new URLSearchParams();
  if (search) q.set("q", search);
  if (status) q.set("status", status);
  if (cursor) q.set("cursor", cursor);
  const s = q.toString();
  return s ? `/batches?${s}` : "/batches";
}

/**
 * Every batch, newest first, including those with no image to show in the gallery (queued, running,
 * failed): the way back to a batch whose link is lost. Server-rendered; works without JavaScript.
 */
export default async function BatchesPage({ searchParams }: Props) {
  const sp = await searchParams;
  const asked = first(sp.status);
  const status = isStatus(asked) ? asked : undefined;
  const cursor = first(sp.cursor) ?? null;
  // Text one of the batch's titles contains; longer than a title can be matches nothing, so it is cut.
  const typed = firstChars(first(sp.q)?.trim() ?? "", 200) || undefined;
  // Text the database cannot compare (a NUL character) is not searched for: the page says why instead.
  const unsearchable = typed === undefined ? null : unstorable(typed);
  const search = unsearchable ? undefined : typed;
  // Set by the studio after a submit it split into several batches (app/(studio)/actions.ts).
  const split = /^\d{1,3}$/.test(first(sp.split) ?? "") ? Number(first(sp.split)) : null;
  let error: string | null =
    asked !== undefined && !status
      ? `There is no status "${asked}".`
      : unsearchable
        ? `The search text ${unsearchable}.`
        : null;
  let page: { batches: BatchListItem[]; nextCursor: string | null } = { batches: [], nextCursor: null };
  try {
    const found = await listBatches(await getDb(), { cursor, limit: PAGE_SIZE, status, search });
    page = { batches: found.batches.map(batchListItem), nextCursor: found.nextCursor };
  } catch (err) {
    if (!(err instanceof InvalidCursorError)) throw err;
    error = "That page link is not valid any more.";
  }
  // The batches this browser made (it holds their owner cookie): it can cancel, retry or restyle them.
  const jar = await cookies();
  const none = new Headers();
  const key = jar.get(BROWSER_KEY_COOKIE)?.value;
  const yours = new Set(
    page.batches
      .filter((b) => canManage(b.id, none, jar.get(ownerCookieName(b.id))?.value, key))
      .map((b) => b.id),
  );
  const filters: [string, BatchStatus | undefined][] = [
    ["All", undefined],
    ...BATCH_STATUSES.map((s): [string, BatchStatus] => [s[0]!.toUpperCase() + s.slice(1), s]),
  ];
  return (
    <main className="mx-auto max-w-5xl space-y-5 px-4 py-8">
      <AutoRefresh active={page.batches.some((b) => b.status === "queued" || b.status === "running")} />
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold tracking-tight">Batches</h1>
        {cursor ? (
          <Link href={href(status, search)} className="text-sm text-sky-400 hover:underline">
            Back to the newest batches
          </Link>
        ) : null}
      </div>
      <form action="/batches" method="get" role="search" aria-label="Find batches" className="flex gap-2">
        <label className="flex min-w-0 flex-1 flex-col gap-1 text-xs font-medium text-zinc-400">
          A title contains
          <input
            type="search"
            dir="auto"
            name="q"
            defaultValue={search ?? ""}
            maxLength={200}
            placeholder="e.g. espresso"
            className="h-9 w-full rounded-md border border-zinc-700 bg-zinc-900 px-2 text-sm text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500"
          />
        </label>
        {status ? <input type="hidden" name="status" value={status} /> : null}
        <button type="submit" className="btn-secondary h-9 self-end">
          Find
        </button>
      </form>
      <nav aria-label="Filter by status" className="flex flex-wrap gap-2 text-sm">
        {filters.map(([label, value]) => (
          <Link
            key={label}
            href={href(value, search)}
            aria-current={value === status ? "page" : undefined}
            className={`rounded-full border px-3 py-1 ${
              value === status
                ? "border-sky-500 bg-sky-950/40 text-sky-200"
                : "border-zinc-700 text-zinc-300 hover:border-zinc-500"
            }`}
          >
            {label}
          </Link>
        ))}
      </nav>
      {split ? (
        <p
          role="status"
          className="rounded-md border border-sky-900 bg-sky-950/40 px-3 py-2 text-sm text-sky-100"
        >
          Your titles went out as {split} batches of whole titles, each within the app&apos;s limit of images
          per batch: they are the newest below, marked Yours, in the order of your titles.
        </p>
      ) : null}
      {error ? (
        <p
          role="alert"
          className="rounded-md border border-red-900 bg-red-950/40 px-3 py-2 text-sm text-red-200"
        >
          {error}{" "}
          <Link href="/batches" className="underline">
            Show the newest batches
          </Link>
        </p>
      ) : null}
      {page.batches.length === 0 && !error ? (
        <p className="text-sm text-zinc-400" data-testid="batches-empty">
          {search
            ? `No ${status ? `${status} ` : ""}batch has a title containing “${search}”.`
            : status
              ? `No ${status} batches.`
              : "No batches yet."}{" "}
          <Link href="/" className="text-sky-400 hover:underline">
            Start one in the studio
          </Link>
        </p>
      ) : null}
      <ul className="space-y-3" data-testid="batch-list">
        {page.batches.map((b) => (
          <BatchRow key={b.id} batch={b} yours={yours.has(b.id)} />
        ))}
      </ul>
      {page.nextCursor ? (
        <Link
          href={href(status, search, page.nextCursor)}
          rel="next"
          className="btn-secondary inline-block"
          data-testid="older-batches"
        >
          Older batches
        </Link>
      ) : null}
    </main>
  );
}

function BatchRow({ batch: b, yours }: { batch: BatchListItem; yours: boolean }) {
  const pct = b.cells === 0 ? 0 : Math.round((b.succeeded / b.cells) * 100);
  const models = b.models.map(modelLabel).join(", ");
  return (
    <li data-testid="batch-row" data-id={b.id} data-status={b.status}>
      <Link
        href={`/b/${b.id}`}
        className="flex gap-4 rounded-lg border border-zinc-800 bg-zinc-900 p-3 hover:border-zinc-600 focus-visible:outline-2 focus-visible:outline-sky-400"
      >
        <span className="relative hidden aspect-[1200/630] w-40 shrink-0 overflow-hidden rounded bg-zinc-800 sm:block">
          {b.cover ? (
            <Image src={b.cover} alt="" fill sizes="160px" className="object-cover" />
          ) : (
            <span className="flex h-full items-center justify-center text-xs text-zinc-400">
              {TERMINAL_BATCH_STATUSES.includes(b.status) ? "No image" : "No image yet"}
            </span>
          )}
        </span>
        <span className="min-w-0 flex-1 space-y-1.5">
          <span className="flex items-start justify-between gap-3">
            <span className="flex min-w-0 gap-1 font-medium text-zinc-100">
              {/* Cut in the title's own direction: a long right-to-left title loses its end, not its start. */}
              <span dir="auto" className="truncate">
                {b.title}
              </span>
              {b.prompts > 1 ? (
                <span className="shrink-0 font-normal text-zinc-400"> +{b.prompts - 1} more</span>
              ) : null}
            </span>
            <span className="flex shrink-0 items-center gap-1.5">
              {yours ? (
                <span
                  className="rounded border border-sky-800 px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide text-sky-300"
                  title="Made in this browser: you can cancel, retry or restyle it"
                >
                  Yours
                </span>
              ) : null}
              <StatusBadge status={b.status} />
            </span>
          </span>
          <span className="block truncate text-xs text-zinc-400">
            {plural(b.prompts, "title")} × {plural(b.models.length, "model")} ({models}) · {lookLabel(b)}
          </span>
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1 whitespace-nowrap text-xs text-zinc-400">
            <span
              className="h-1.5 w-24 overflow-hidden rounded bg-zinc-800"
              role="progressbar"
              aria-label="Images made"
              aria-valuemin={0}
              aria-valuemax={b.cells}
              aria-valuenow={b.succeeded}
            >
              <span className="block h-full bg-emerald-500" style={{ width: `${pct}%` }} />
            </span>
            <span>
              {b.succeeded}/{b.cells} images
            </span>
            <span>
              {formatUsd(b.actualCostUsd)} of {formatUsd(b.estimatedCostUsd)} est.
            </span>
            <time dateTime={b.createdAt.toISOString()}>
              {b.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC
            </time>
          </span>
        </span>
      </Link>
    </li>
  );
}
