"use client";
/**
 * Confirms a delete. In production the server wants the admin token: the dialog asks for it once per tab
 * (kept in sessionStorage, dropped when the server refuses it).
 */
import * as Dialog from "@radix-ui/react-dialog";
import { useState, type FormEvent } from "react";
import { plural } from "@/lib/format";

const TOKEN_KEY = "thumbs.adminToken";

export interface DeleteDialogProps {
  ids: readonly string[];
  /** How many of them the current filters hide (said in the dialog, so nobody deletes them unawares). */
  hidden?: number;
  open: boolean;
  needsToken: boolean;
  onOpenChange: (open: boolean) => void;
  onDeleted: (deleted: string[], skipped: string[]) => void;
  /**
   * Where the keyboard goes once the dialog closes (null: the page's start). The dialog is opened by
   * the selection bar, or by the address, not by a trigger of its own that Radix would return to.
   */
  returnFocus: () => HTMLElement | null;
}

interface DeleteJson {
  deleted?: string[];
  skipped?: string[];
  error?: string;
}

export function DeleteDialog(props: DeleteDialogProps) {
  const { ids, hidden = 0, open, needsToken, onOpenChange, onDeleted, returnFocus } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get("token") ?? "").trim();
    if (needsToken && !token) {
      setError("Enter the admin token.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch("/api/images", {
        method: "DELETE",
        headers,
        body: JSON.stringify({ ids }),
      });
      const body = (await response.json().catch(() => ({}))) as DeleteJson;
      if (response.status === 401 || response.status === 403) {
        sessionStorage.removeItem(TOKEN_KEY);
        setError(body.error ?? "The server refused the token.");
        return;
      }
      if (!response.ok) {
        setError(body.error ?? `Delete failed (HTTP ${response.status}).`);
        return;
      }
      if (token) sessionStorage.setItem(TOKEN_KEY, token);
      onDeleted(body.deleted ?? [], body.skipped ?? []);
      onOpenChange(false);
    } catch (err) {
      setError(`Delete failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(value) => {
        if (!value) setError(null);
        onOpenChange(value);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/70 backdrop-blur-sm" />
        <Dialog.Content
          className="fixed left-1/2 top-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-zinc-700 bg-zinc-900 p-5 shadow-2xl shadow-black focus:outline-none"
          data-testid="delete-dialog"
          onCloseAutoFocus={(event) => {
            const to = returnFocus();
            if (!to) return;
            event.preventDefault();
            to.focus();
          }}
        >
          <Dialog.Title className="text-lg font-semibold text-zinc-100">
            Delete {plural(ids.length, "image")}?
          </Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-zinc-300">
            The images and their stored files are removed for good. Their batches keep every other image.
            {hidden > 0
              ? ` ${hidden} of them ${hidden === 1 ? "is" : "are"} not shown with the current filters.`
              : ""}
          </Dialog.Description>
          <form onSubmit={submit} className="mt-4 space-y-4">
            {needsToken ? (
              <label className="flex flex-col gap-1 text-sm text-zinc-300">
                Admin token
                <input
                  type="password"
                  name="token"
                  autoComplete="current-password"
                  defaultValue={
                    typeof window === "undefined" ? "" : (sessionStorage.getItem(TOKEN_KEY) ?? "")
                  }
                  className="h-9 rounded-md border border-zinc-700 bg-zinc-950 px-2 text-zinc-100 focus:border-sky-500 focus:outline-none focus:ring-1 focus:ring-sky-500"
                  aria-describedby="token-hint"
                />
                <span id="token-hint" className="text-xs text-zinc-400">
                  This server runs in production mode: deleting needs its ADMIN_TOKEN. It is kept for this tab
                  only.
                </span>
              </label>
            ) : null}
            {error ? (
              <p role="alert" className="text-sm text-red-300" data-testid="delete-error">
                {error}
              </p>
            ) : null}
            <div className="flex justify-end gap-2">
              <Dialog.Close className="btn-secondary" type="button">
                Cancel
              </Dialog.Close>
              <button type="submit" className="btn-danger" disabled={busy}>
                {busy ? "Deleting…" : `Delete ${plural(ids.length, "image")}`}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
