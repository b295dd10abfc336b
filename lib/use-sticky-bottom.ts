import { useCallback, useRef } from "react";

/**
 * For a bar stuck to the bottom of the window (`data-sticky-bottom`): keeps `--sticky-bottom` on the
 * page at the height it covers, which the page's scroll-padding-bottom reserves (app/globals.css), so
 * a control focused with the keyboard is scrolled above the bar, not under it. Without JavaScript the
 * stylesheet's default height holds.
 *
 * A text field is scrolled only until its caret shows, which can leave the rest of it under the bar:
 * once focus has moved, anything of the page still covered that fits above the bar is scrolled clear.
 */
export function useStickyBottom<T extends HTMLElement>(): (el: T | null) => void {
  const stop = useRef<(() => void) | null>(null);
  return useCallback((el: T | null) => {
    stop.current?.();
    stop.current = null;
    if (!el) return;
    const root = document.documentElement;
    const measure = () => {
      const offset = parseFloat(getComputedStyle(el).bottom) || 0;
      root.style.setProperty("--sticky-bottom", `${Math.ceil(el.offsetHeight + offset)}px`);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    let frame = 0;
    const onFocus = (event: FocusEvent) => {
      const target = event.target;
      // A dialog (the lightbox, the delete dialog) is over the bar and does not scroll with the page.
      if (!(target instanceof HTMLElement) || el.contains(target) || target.closest('[role="dialog"]'))
        return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const box = target.getBoundingClientRect();
        const covered = box.bottom - el.getBoundingClientRect().top;
        const by = Math.ceil(covered) + 8;
        if (covered > 0 && box.top - by >= 0) window.scrollBy(0, by);
      });
    };
    document.addEventListener("focusin", onFocus);
    stop.current = () => {
      observer.disconnect();
      document.removeEventListener("focusin", onFocus);
      cancelAnimationFrame(frame);
      root.style.removeProperty("--sticky-bottom");
    };
  }, []);
}
