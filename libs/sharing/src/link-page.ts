import escapeHtml from 'escape-html';
import bytes from 'bytes';

export interface LinkPageFile {
  id: string;
  name: string;
  size: number;
}

interface CommonDetails {
  /** The link's creator, as the recipient knows them; absent if the account is gone. */
  sharer?: { email: string; displayName?: string };
  expiresAt: Date;
  /** null: the link has no download limit. */
  downloadsLeft: number | null;
}

/** A file link's file, or a bundle link's bundle and its files, in order. */
export type LinkPageDetails = CommonDetails &
  (
    | { file: { name: string; size: number }; bundle?: undefined }
    | { bundle: { name: string; files: LinkPageFile[] }; file?: undefined }
  );

/** The URLs a bundle's unlocked page links to, each carrying the short-lived grant. */
export interface BundleDownloadUrls {
  archive: string;
  file: (fileId: string) => string;
}

export type LinkPageView =
  | { kind: 'download'; details: LinkPageDetails; formAction: string; error?: string }
  | { kind: 'password'; details: LinkPageDetails; formAction: string; error?: string }
  | {
      kind: 'recipient';
      details: LinkPageDetails;
      formAction: string;
      /** The link has a password too, asked for with the code. */
      needsPassword: boolean;
      error?: string;
    }
  | {
      kind: 'code';
      details: LinkPageDetails;
      email: string;
      formAction: string;
      resendAction: string;
      needsPassword: boolean;
      notice?: string;
      error?: string;
    }
  | { kind: 'started'; details: LinkPageDetails; downloadUrl: string }
  | { kind: 'unlocked'; details: LinkPageDetails; urls: BundleDownloadUrls }
  | { kind: 'dead' };

/** What a bundle page's form posts to say which download: one file's id, or the whole ZIP. */
export const ARCHIVE_ITEM = 'archive';

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

/**
 * The web app's design tokens (apps/web/src/styles.css; a unit test keeps them equal), so the
 * page looks like the app without loading the app's hashed stylesheet, which may not be built.
 */
export const LINK_PAGE_STYLE = `
  :root {
    color-scheme: light dark;
    --bg: #f6f7f9;
    --surface: #ffffff;
    --text: #1b1f24;
    --muted: #4f5866;
    --border: #cfd5de;
    --accent: #1f5eff;
    --accent-text: #ffffff;
    --danger: #b42318;
    --danger-bg: #fdecea;
    --info-bg: #e8f0ff;
    --focus: #1f5eff;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    :root {
      --bg: #111418;
      --surface: #1b2027;
      --text: #e8ebf0;
      --muted: #aab3c0;
      --border: #3a4350;
      --accent: #8fb0ff;
      --accent-text: #0b1020;
      --danger: #ff9b90;
      --danger-bg: #3a1714;
      --info-bg: #17233d;
      --focus: #8fb0ff;
    }
  }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--text); }
  a { color: var(--accent); }
  :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
  header { padding: .75rem 1.25rem; background: var(--surface); border-bottom: 1px solid var(--border);
    font-weight: 700; }
  main { max-width: 32rem; margin: 2rem auto; padding: 1.5rem; background: var(--surface);
    border: 1px solid var(--border); border-radius: .75rem; }
  @media (max-width: 34rem) { main { margin: 1rem; } }
  h1 { font-size: 1.5rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
  p { margin: 0 0 1rem; }
  .size { color: var(--muted); }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1.25rem; }
  dt { color: var(--muted); }
  dd { margin: 0; overflow-wrap: anywhere; }
  form { display: grid; gap: .5rem; }
  label { font-weight: 600; }
  input { font: inherit; padding: .5rem .6rem; border: 1px solid var(--muted); border-radius: .4rem;
    background: var(--bg); color: var(--text); }
  button { font: inherit; cursor: pointer; padding: .45rem .9rem; border-radius: .4rem; font-weight: 600;
    border: 1px solid var(--accent); background: var(--accent); color: var(--accent-text); justify-self: start; }
  .alert { padding: .6rem .8rem; border-radius: .4rem; margin: 0 0 1rem; }
  .alert.error { background: var(--danger-bg); color: var(--danger); }
  .alert.info { background: var(--info-bg); }
  .alert a { color: inherit; }
  ul.files { list-style: none; padding: 0; margin: 0 0 1.25rem; border-top: 1px solid var(--border); }
  ul.files li { display: flex; align-items: center; gap: .75rem; padding: .5rem 0;
    border-bottom: 1px solid var(--border); }
  ul.files .name { flex: 1; overflow-wrap: anywhere; }
  ul.files form { display: inline; }
  button.secondary { background: transparent; color: var(--accent); }`;

const UTC_DATE = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "in 7 days", "in 3 hours", "in 5 minutes": the largest unit that is at least one. */
export function relativeExpiry(expiresAt: Date, now: Date): string {
  const left = expiresAt.getTime() - now.getTime();
  if (left >= DAY) return RELATIVE.format(Math.round(left / DAY), 'day');
  if (left >= HOUR) return RELATIVE.format(Math.round(left / HOUR), 'hour');
  return RELATIVE.format(Math.max(1, Math.ceil(left / MINUTE)), 'minute');
}

function sharerText({ email, displayName }: { email: string; displayName?: string }): string {
  // The email is shown even beside a name: a name is whatever its owner typed, the email is
  // the account the recipient can check.
  return displayName?.trim()
    ? `${escapeHtml(displayName.trim())} (${escapeHtml(email)})`
    : escapeHtml(email);
}

function downloadsText(left: number): string {
  return left === 1 ? '1 download left' : `${left} downloads left`;
}

function sizeText(size: number): string {
  return bytes.format(size, { unitSeparator: ' ' }) ?? '0 B';
}

function filesText(count: number): string {
  return count === 1 ? '1 file' : `${count} files`;
}

function detailsHtml(details: LinkPageDetails, now: Date, showDownloadsLeft: boolean): string {
  const { sharer, expiresAt, downloadsLeft } = details;
  const title = details.bundle ? details.bundle.name : details.file.name;
  const size = details.bundle
    ? `${filesText(details.bundle.files.length)}, ${sizeText(details.bundle.files.reduce((sum, file) => sum + file.size, 0))}`
    : sizeText(details.file.size);
  const rows = [
    sharer ? `<dt>Shared by</dt><dd>${sharerText(sharer)}</dd>` : '',
    `<dt>Expires</dt><dd><time datetime="${expiresAt.toISOString()}">${escapeHtml(UTC_DATE.format(expiresAt))} UTC</time> (${relativeExpiry(expiresAt, now)})</dd>`,
    showDownloadsLeft && downloadsLeft !== null
      ? `<dt>Downloads</dt><dd>${downloadsText(downloadsLeft)}</dd>`
      : '',
  ];
  return `<h1>${escapeHtml(title)}</h1>
    <p class="size">${escapeHtml(size)}</p>
    <dl>${rows.join('')}</dl>`;
}

/** The hidden field that names which download a bundle page's button asks for. */
function itemForm(formAction: string, item: string, label: string, className = ''): string {
  const cls = className ? ` class="${className}"` : '';
  return `<form method="post" action="${escapeHtml(formAction)}"><input type="hidden" name="item" value="${escapeHtml(item)}"><button type="submit"${cls}>${label}</button></form>`;
}

/**
 * A bundle's files with their sizes; each with its own download when `action` gives one (a
 * button posting to the page, or a link carrying the grant), and "Download all (ZIP)" after them.
 */
function bundleFilesHtml(
  files: LinkPageFile[],
  action?: { file: (file: LinkPageFile) => string; archive: string },
): string {
  if (files.length === 0) return '<p>This bundle has no files any more.</p>';
  const rows = files.map(
    (file) =>
      `<li><span class="name">${escapeHtml(file.name)}</span> <span class="size">${escapeHtml(sizeText(file.size))}</span>${action ? ` ${action.file(file)}` : ''}</li>`,
  );
  return `<ul class="files">${rows.join('')}</ul>${action ? action.archive : ''}`;
}

function body(view: LinkPageView, now: Date): string {
  if (view.kind === 'dead') {
    return `<h1>This link is no longer available</h1>
      <p>It may have expired, been revoked, or reached its download limit. Ask the person who sent it for a new one.</p>`;
  }
  if (view.kind === 'started') {
    const url = escapeHtml(view.downloadUrl);
    return `${detailsHtml(view.details, now, false)}
      <p class="alert info" role="status">Your download has started. If it has not, <a href="${url}" rel="noreferrer" download>download the file here</a>.</p>`;
  }
  const details = detailsHtml(view.details, now, true);
  const error =
    'error' in view && view.error
      ? `<p class="alert error" role="alert">${escapeHtml(view.error)}</p>`
      : '';
  const bundle = view.details.bundle;
  if (view.kind === 'unlocked') {
    const { urls } = view;
    const anchor = (url: string, label: string) =>
      `<a href="${escapeHtml(url)}" rel="noreferrer" download>${label}</a>`;
    return `${details}
    <p class="alert info" role="status">Unlocked for a few minutes: download what you need now.</p>
    ${bundleFilesHtml(bundle?.files ?? [], {
      file: (file) => anchor(urls.file(file.id), 'Download'),
      archive: `<p>${anchor(urls.archive, 'Download all (ZIP)')}</p>`,
    })}`;
  }
  if (view.kind === 'download' && bundle) {
    return `${details}${error}
    ${bundleFilesHtml(bundle.files, {
      file: (file) => itemForm(view.formAction, file.id, 'Download', 'secondary'),
      archive:
        bundle.files.length > 0
          ? itemForm(view.formAction, ARCHIVE_ITEM, 'Download all (ZIP)')
          : '',
    })}`;
  }
  if (view.kind === 'download') {
    return `${details}
    <form method="post" action="${escapeHtml(view.formAction)}">
      <button type="submit">Download</button>
    </form>`;
  }
  if (view.kind === 'recipient') {
    return `${details}${bundle ? bundleFilesHtml(bundle.files) : ''}
    <form method="post" action="${escapeHtml(view.formAction)}">
      <label for="email">Only the people it was sent to can open it: your e-mail address</label>
      <input id="email" name="email" type="email" autocomplete="email" required autofocus>
      ${error}
      <button type="submit">Send me a code</button>
    </form>`;
  }
  if (view.kind === 'code') {
    const email = escapeHtml(view.email);
    const notice = view.notice
      ? `<p class="alert info" role="status">${escapeHtml(view.notice)}</p>`
      : '';
    const password = view.needsPassword
      ? `<label for="password">The password you were given</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>`
      : '';
    return `${details}${notice}
    <form method="post" action="${escapeHtml(view.formAction)}">
      <input type="hidden" name="email" value="${email}">
      <label for="code">The six-digit code sent to ${email}</label>
      <input id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
      ${password}
      ${error}
      <button type="submit">${bundle ? 'Verify' : 'Verify and download'}</button>
    </form>
    <form method="post" action="${escapeHtml(view.resendAction)}">
      <input type="hidden" name="email" value="${email}">
      <button type="submit" class="secondary">Send a new code</button>
    </form>`;
  }
  return `${details}${bundle ? bundleFilesHtml(bundle.files) : ''}
    <form method="post" action="${escapeHtml(view.formAction)}">
      <label for="password">${bundle ? 'These files are' : 'This file is'} protected by a password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
      ${error}
      <button type="submit">${bundle ? 'Unlock' : 'Unlock and download'}</button>
    </form>`;
}

/**
 * The whole page for a share link, server-rendered; every dynamic value is escaped. The
 * "started" state starts the download itself through a meta refresh, which needs no script, and
 * is the answer to a POST, so a reload asks before downloading (and counting) again.
 */
export function renderLinkPage(view: LinkPageView, nonce: string, now = new Date()): string {
  const refresh =
    view.kind === 'started'
      ? `\n<meta http-equiv="refresh" content="0;url=${escapeHtml(view.downloadUrl)}">`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">${refresh}
<title>Strongroom shared file</title>
<style nonce="${nonce}">${LINK_PAGE_STYLE}</style>
</head>
<body><header>Strongroom</header><main>${body(view, now)}</main></body>
</html>`;
}
