/**
 * The sign-in page of the studio password gate, served by app/signin/route.ts so a wrong password can
 * answer 401 with the form again (an App Router page cannot choose its status). No JavaScript; the
 * stylesheet repeats the app's Tailwind values (zinc-950 page, zinc-900 field, sky-700 button).
 */
import { escapeHtml } from "@/lib/html";

const STYLE = `*,::before,::after{box-sizing:border-box}
body{margin:0;min-height:100vh;background:#09090b;color:#f4f4f5;-webkit-font-smoothing:antialiased;
font-family:ui-sans-serif,system-ui,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"}
nav{border-bottom:1px solid #27272a}
nav div{max-width:80rem;margin:0 auto;padding:.75rem 1rem;font-size:.875rem;line-height:1.25rem;font-weight:600}
main{max-width:28rem;margin:0 auto;padding:2rem 1rem}
h1{margin:0;font-size:1.5rem;line-height:2rem;font-weight:600}
p.lead{margin:.25rem 0 1.5rem;font-size:.875rem;line-height:1.25rem;color:#a1a1aa}
label{display:block;margin-bottom:.25rem;font-size:.875rem;line-height:1.25rem;font-weight:500;color:#e4e4e7}
input{width:100%;border-radius:.375rem;border:1px solid #3f3f46;background:#18181b;padding:.5rem .75rem;
font:inherit;font-size:.875rem;line-height:1.25rem;color:#f4f4f5}
input:focus{border-color:#0ea5e9;outline:none;box-shadow:0 0 0 1px #0ea5e9}
input[aria-invalid=true]{border-color:#f87171}
.error{margin:.25rem 0 0;font-size:.875rem;line-height:1.25rem;color:#fca5a5}
button{margin-top:1rem;border:0;border-radius:.375rem;background:#0369a1;padding:.375rem .75rem;font:inherit;
font-size:.875rem;line-height:1.25rem;font-weight:500;color:#fff;cursor:pointer}
button:hover{background:#0284c7}
button:focus-visible{outline:2px solid #38bdf8;outline-offset:2px}`;

export interface SigninPageOptions {
  next: string;
  error?: string | null;
  status?: number;
}

export function signinPage({ next, error = null, status = 200 }: SigninPageOptions): Response {
  const invalid = error ? ` aria-invalid="true" aria-describedby="password-error"` : "";
  const message = error ? `<p id="password-error" class="error" role="alert">${escapeHtml(error)}</p>` : "";
  const body = `<!doctype html>
<html lang="en" class="dark"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Sign in · Thumbnail Studio</title><style>${STYLE}</style></head>
<body><nav aria-label="Main"><div>Thumbnail Studio</div></nav>
<main id="main"><h1>Sign in</h1>
<p class="lead">This studio is private: enter its password to create batches and browse the gallery. Shared batch pages stay open to anyone with the link.</p>
<form method="post" action="/signin">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="password">Studio password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus${invalid}>
${message}
<button type="submit">Sign in</button>
</form></main></body></html>
`;
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
