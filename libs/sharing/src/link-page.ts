import escapeHtml from 'escape-html';
import bytes from 'bytes';

export interface LinkPageFile {
  name: string;
  size: number;
}

export type LinkPageView =
  | { kind: 'download'; file: LinkPageFile; downloadUrl: string }
  | { kind: 'password'; file: LinkPageFile; formAction: string; error?: string }
  | { kind: 'dead' };

/** No scripts at all; the one inline style is allowed by its nonce. */
export function linkPageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "img-src 'none'",
  ].join('; ');
}

const STYLE = `
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #1d2433; }
  .card { border: 1px solid #d7dce5; border-radius: 12px; padding: 1.5rem; }
  h1 { font-size: 1.1rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
  p.meta { color: #5b6475; margin: 0 0 1.25rem; }
  a.button, button { display: inline-block; background: #1f5eff; color: #fff; border: 0; border-radius: 8px;
    padding: .6rem 1.2rem; font-size: 1rem; text-decoration: none; cursor: pointer; }
  label { display: block; }
  input { font-size: 1rem; padding: .5rem .6rem; width: 100%; box-sizing: border-box; margin: .4rem 0 1rem;
    border: 1px solid #b8c0cc; border-radius: 8px; }
  input:focus { outline: 2px solid #1f5eff; outline-offset: 1px; border-color: #1f5eff; }
  .error { color: #b42318; margin: -.5rem 0 1rem; }`;

function body(view: LinkPageView): string {
  if (view.kind === 'dead') {
    return `<h1>This link is no longer available</h1>
      <p class="meta">It may have expired, been revoked, or reached its download limit. Ask the person who sent it for a new one.</p>`;
  }
  const heading = `<h1>${escapeHtml(view.file.name)}</h1><p class="meta">${escapeHtml(bytes.format(view.file.size, { unitSeparator: ' ' }) ?? '0 B')}</p>`;
  if (view.kind === 'download') {
    return `${heading}<a class="button" href="${escapeHtml(view.downloadUrl)}" rel="noreferrer" download>Download</a>`;
  }
  const error = view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : '';
  return `${heading}
    <form method="post" action="${escapeHtml(view.formAction)}">
      <label for="password">This file is protected by a password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
      ${error}
      <button type="submit">Unlock and download</button>
    </form>`;
}

/** The whole page for a share link, server-rendered; every dynamic value is escaped. */
export function renderLinkPage(view: LinkPageView, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>Strongroom shared file</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body><main class="card">${body(view)}</main></body>
</html>`;
}
