/**
 * The page a browser gets when the gate refuses a request before any route renders (proxy.ts): a
 * broken snapshot (503), no or a rejected token (401), an API that cannot check access (503), a
 * refusal (403). Plain HTML, every text escaped, no script; it carries the real status, which a
 * rendered React page cannot set, and it names the problem instead of "not found" or a stack.
 */
import 'server-only';
import { errorTitle, httpStatus, type AppError } from '@/lib/errors';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function errorPageHtml(e: AppError): string {
  const title = errorTitle(e.kind);
  const hint =
    e.kind === 'broken-snapshot'
      ? '<p>Nothing is served from this snapshot. Replace the file (or collect a new one with <code>kubepath collect</code>) and reload.</p>'
      : e.kind === 'unauthenticated'
        ? "<p>Sign in through the console's SSO proxy, which sends your Kubernetes token.</p>"
        : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>kubepath · ${esc(title)}</title>
<style>body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#17202a;background:#f6f8fa}header{padding:.6rem 1.25rem;background:#12263f}
header a{color:#fff;font-weight:700;text-decoration:none}main{max-width:70rem;padding:1rem 1.25rem}
.error-box{border:1px solid #f3b8b4;background:#fde8e7;color:#6d1712;padding:.7rem 1rem;border-radius:6px;margin:.8rem 0;overflow-wrap:anywhere}</style>
</head><body><header><a href="/">kubepath</a></header><main>
<h1>${esc(title)}</h1>
<div role="alert" class="error-box" data-error-kind="${esc(e.kind)}"><strong>${esc(title)}:</strong> ${esc(e.message)}</div>
${hint}<p>HTTP ${httpStatus(e)}</p>
</main></body></html>
`;
}

export function errorPageResponse(e: AppError): Response {
  const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
  if (e.kind === 'unauthenticated') headers['WWW-Authenticate'] = 'Bearer realm="kubepath"';
  return new Response(errorPageHtml(e), { status: httpStatus(e), headers });
}
