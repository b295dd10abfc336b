"use client";
/**
 * One image at full size in an accessible dialog (Radix: focus trap, Esc, aria). Generic over the caller's
 * items; the caller renders the metadata. ←/→ step through `items`; on close, focus goes to the control
 * of the image shown last (the element with `lightboxOpener(id)`), else back to whatever opened it.
 */
import * as Dialog from "@radix-ui/react-dialog";
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { openerSelector } from "./opener";
import { positionCount } from "./position";

export interface LightboxItem {
  id: string;
  src: string;
  alt: string;
  width?: number | null;
  height?: number | null;
  /** Suggested file name for the download link. */
  downloadName?: string;
}

export interface LightboxProps<T extends LightboxItem> {
  items: readonly T[];
  /** The item shown, or null when closed. */
  openId: string | null;
  onOpenIdChange: (id: string | null) => void;
  /** Metadata for the side panel; omit for no panel. */
  renderMeta?: (item: T) => ReactNode;
  /** Where "Download" points; defaults to the image itself with the `download` attribute. */
  downloadHref?: (item: T) => string;
  /** Accessible name prefix, e.g. "Image" → "Image 3 of 24". */
  label?: string;
  /**
   * Past the first or the last item (e.g. the images of the previous or next page): the arrow and key
   * stay live there and call this instead of stepping.
   */
  beyond?: { prev?: () => void; next?: () => void };
  /**
   * What the count covers when `items` are part of a larger set, e.g. "on page 2". Without it, a
   * `beyond.next` means more items follow: the count reads "3 / 24+" ("24 loaded, more follow"), or
   * with `total`, "3 / 1,204" (or "3 / 24 loaded of 10,000+" when the total was counted up to a cap).
   */
  countScope?: string;
  /** How many items the whole set has, when known: the first `items` are its first ones. */
  total?: { count: number; capped: boolean };
}

export function Lightbox<T extends LightboxItem>(props: LightboxProps<T>) {
  const {
    items,
    openId,
    onOpenIdChange,
    renderMeta,
    downloadHref,
    label = "Image",
    beyond,
    countScope,
    total,
  } = props;
  const index = openId === null ? -1 : items.findIndex((item) => item.id === openId);
  const item = index >= 0 ? items[index] : undefined;
  const count = positionCount({ loaded: items.length, countScope, more: Boolean(beyond?.next), total });
  const opener = useRef<HTMLElement | null>(null);
  // The image shown last: after stepping with the arrows, the one to come back to on close.
  const lastShown = useRef<string | null>(null);
  const content = useRef<HTMLDivElement>(null);
  const [showMeta, setShowMeta] = useState(true);
  const open = item !== undefined;

  // Layout effects run before Radix moves focus into the dialog, so this still sees the opener.
  useLayoutEffect(() => {
    if (open && !opener.current && document.activeElement instanceof HTMLElement)
      opener.current = document.activeElement;
  }, [open]);

  useEffect(() => {
    if (item) lastShown.current = item.id;
  }, [item]);

  const prev = index > 0 ? items[index - 1] : undefined;
  const next = index >= 0 && index < items.length - 1 ? items[index + 1] : undefined;

  useEffect(() => {
    // An arrow button that has just become disabled (the last image reached with it) drops the focus
    // out of the dialog, and the arrow keys with it: give it back to the dialog.
    const active = document.activeElement;
    if (open && (active === document.body || (active instanceof HTMLButtonElement && active.disabled)))
      content.current?.focus();
  }, [open, index]);

  useEffect(() => {
    // Warm the neighbours so stepping through feels instant.
    for (const neighbour of [prev, next]) if (neighbour) new window.Image().src = neighbour.src;
  }, [prev, next]);

  const go = (target: T | undefined, past?: () => void) => {
    if (target) onOpenIdChange(target.id);
    else past?.();
  };
  const goPrev = () => go(prev, index === 0 ? beyond?.prev : undefined);
  const goNext = () => go(next, index === items.length - 1 ? beyond?.next : undefined);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "ArrowLeft") goPrev();
    else if (event.key === "ArrowRight") goNext();
    else return;
    event.preventDefault();
  };

  return (
    <Dialog.Root open={open} onOpenChange={(value) => (value ? undefined : onOpenIdChange(null))}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/90 backdrop-blur-sm" />
        <Dialog.Content
          className="fixed inset-0 z-50 flex flex-col text-zinc-100 focus:outline-none"
          onKeyDown={onKeyDown}
          // Focus the dialog itself: arrows work at once and no button wears a focus ring on open.
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            content.current?.focus();
          }}
          tabIndex={-1}
          ref={content}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            const shown = lastShown.current;
            const control = shown ? document.querySelector<HTMLElement>(openerSelector(shown)) : null;
            const target = control ?? opener.current;
            opener.current = null;
            lastShown.current = null;
            if (target?.isConnected) target.focus();
          }}
          data-testid="lightbox"
        >
          {item ? (
            <>
              <header className="flex items-center gap-2 border-b border-zinc-800 bg-zinc-950/80 px-3 py-2">
                <Dialog.Title className="min-w-0 flex-1 truncate text-sm text-zinc-300">
                  <span className="sr-only">{label} </span>
                  <span data-testid="lightbox-position">
                    {index + 1} /{" "}
                    {"text" in count ? (
                      count.text
                    ) : (
                      <>
                        {count.loaded}
                        <span aria-hidden title={`${count.loaded} loaded, more follow`}>
                          +
                        </span>
                        <span className="sr-only"> loaded, more follow</span>
                      </>
                    )}
                  </span>
                  {/* Read "… 1 / 45: 10 Lessons", not "1 / 4510 Lessons". */}
                  <span className="sr-only">: </span>
                  <bdi className="ml-3 text-zinc-100">{item.alt}</bdi>
                </Dialog.Title>
                <Dialog.Description className="sr-only">
                  Use the left and right arrow keys for the previous and next image, Escape to close.
                </Dialog.Description>
                <a
                  href={downloadHref ? downloadHref(item) : item.src}
                  download={item.downloadName ?? true}
                  className="btn-secondary"
                >
                  Download
                </a>
                {renderMeta ? (
                  <button
                    type="button"
                    className="btn-secondary hidden md:inline-block"
                    aria-pressed={showMeta}
                    onClick={() => setShowMeta((v) => !v)}
                  >
                    Details
                  </button>
                ) : null}
                <Dialog.Close className="btn-secondary" aria-label="Close">
                  <span aria-hidden>✕</span>
                </Dialog.Close>
              </header>
              <div className="flex min-h-0 flex-1 flex-col md:flex-row">
                <div className="relative flex min-h-0 flex-1 items-center justify-center p-2 sm:p-6">
                  {/* eslint-disable-next-line @next/next/no-img-element -- full size on purpose, no resizing */}
                  <img
                    key={item.id}
                    src={item.src}
                    alt={item.alt}
                    width={item.width ?? undefined}
                    height={item.height ?? undefined}
                    className="max-h-full max-w-full rounded-md object-contain shadow-2xl shadow-black"
                    data-testid="lightbox-image"
                  />
                  <NavButton side="left" disabled={!prev && !beyond?.prev} onClick={goPrev} />
                  <NavButton side="right" disabled={!next && !beyond?.next} onClick={goNext} />
                </div>
                {renderMeta ? (
                  <aside
                    aria-label="Details"
                    className={`max-h-[40vh] overflow-y-auto border-t border-zinc-800 bg-zinc-950/80 p-4 text-sm md:max-h-none md:w-80 md:border-l md:border-t-0 ${showMeta ? "" : "md:hidden"}`}
                    data-testid="lightbox-meta"
                  >
                    {renderMeta(item)}
                  </aside>
                ) : null}
              </div>
            </>
          ) : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function NavButton(props: { side: "left" | "right"; disabled: boolean; onClick: () => void }) {
  const left = props.side === "left";
  return (
    <button
      type="button"
      onClick={props.onClick}
      disabled={props.disabled}
      aria-label={left ? "Previous image" : "Next image"}
      className={`absolute top-1/2 ${left ? "left-2" : "right-2"} flex h-11 w-11 -translate-y-1/2 items-center justify-center rounded-full border border-zinc-700 bg-zinc-900/80 text-xl text-zinc-100 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-400 disabled:opacity-30`}
    >
      <span aria-hidden>{left ? "‹" : "›"}</span>
    </button>
  );
}

/** A definition list row for metadata panels. */
export function MetaRow({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[6rem_1fr] gap-2 py-1.5">
      <dt className="text-zinc-400">{term}</dt>
      <dd className="min-w-0 break-words text-zinc-100">{children}</dd>
    </div>
  );
}
