import { batchPageHref as href, pageLinks, type PageInfo } from "@/lib/batches/paging";

export interface BatchPagerProps {
  batchId: string;
  page: PageInfo;
  /** Pages holding failed cells, ascending. */
  failedPages?: readonly number[];
}

/** Pages with failures linked by number; past this many, the first ones and a count of the rest. */
const FAILED_LINKS = 12;

/** Plain links between the pages of a batch's grid, so it also works without JavaScript. */
export function BatchPager({ batchId, page, failedPages = [] }: BatchPagerProps) {
  const link = "rounded px-2 py-1 text-sky-400 hover:bg-zinc-800 hover:underline";
  return (
    <nav
      aria-label="Pages of titles"
      className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm text-zinc-400"
      data-testid="batch-pager"
    >
      <span>
        Titles {(page.from + 1).toLocaleString("en-US")}–{page.to.toLocaleString("en-US")} of{" "}
        {page.titles.toLocaleString("en-US")}
      </span>
      <span className="flex flex-wrap items-center gap-1">
        {page.page > 1 ? (
          <a href={href(batchId, page.page - 1)} rel="prev" className={link}>
            ← Previous
          </a>
        ) : null}
        {pageLinks(page.page, page.pages).map((p, i) =>
          p === null ? (
            <span key={`gap-${i}`} aria-hidden="true" className="px-1">
              …
            </span>
          ) : p === page.page ? (
            <span key={p} aria-current="page" className="rounded bg-zinc-800 px-2 py-1 text-zinc-100">
              {p}
            </span>
          ) : (
            <a key={p} href={href(batchId, p)} aria-label={`Page ${p}`} className={link}>
              {p}
            </a>
          ),
        )}
        {page.page < page.pages ? (
          <a href={href(batchId, page.page + 1)} rel="next" className={link}>
            Next →
          </a>
        ) : null}
      </span>
      {failedPages.length > 0 ? (
        <span className="flex flex-wrap items-center gap-1" data-testid="failed-pages">
          <span className="text-red-300">Failed cells on {failedPages.length === 1 ? "page" : "pages"}</span>
          {failedPages.slice(0, FAILED_LINKS).map((p) =>
            p === page.page ? (
              <span key={p} className="px-1 text-zinc-100">
                {p}
              </span>
            ) : (
              <a key={p} href={href(batchId, p)} aria-label={`Page ${p}, with failed cells`} className={link}>
                {p}
              </a>
            ),
          )}
          {failedPages.length > FAILED_LINKS ? (
            <span>and {failedPages.length - FAILED_LINKS} more</span>
          ) : null}
        </span>
      ) : null}
    </nav>
  );
}
