import bytes from 'bytes';
import escapeHtml from 'escape-html';
import { LINK_PAGE_STYLE, relativeExpiry } from '@strongroom/sharing';
import type { VisitorUpload } from './dto/upload-request.dto';

export interface UploadRequestPageDetails {
  title: string;
  message: string | null;
  /** Who asks for the files, as the visitor knows them. */
  requester: { email: string; displayName?: string };
  expiresAt: Date;
  filesLeft: number | null;
  bytesLeft: number | null;
  maxFileSize: number;
  /** What this visit has sent; never anything else. */
  uploads: VisitorUpload[];
}

export type UploadRequestPageView =
  | { kind: 'upload'; details: UploadRequestPageDetails; formAction: string; notice?: Notice }
  | { kind: 'password'; details: UploadRequestPageDetails; formAction: string; error?: string }
  | { kind: 'full'; details: UploadRequestPageDetails; notice?: Notice }
  | { kind: 'dead'; heading: string; message: string };

export interface Notice {
  tone: 'info' | 'error';
  text: string;
}

const UTC_DATE = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'UTC',
});

const size = (count: number) => escapeHtml(bytes.format(count, { unitSeparator: ' ' }) ?? '0 B');

function requesterText({ email, displayName }: { email: string; displayName?: string }): string {
  return displayName?.trim()
    ? `${escapeHtml(displayName.trim())} (${escapeHtml(email)})`
    : escapeHtml(email);
}

function detailsHtml(details: UploadRequestPageDetails, now: Date): string {
  const { title, message, requester, expiresAt, filesLeft, bytesLeft } = details;
  const rows = [
    `<dt>Requested by</dt><dd>${requesterText(requester)}</dd>`,
    `<dt>Open until</dt><dd><time datetime="${expiresAt.toISOString()}">${escapeHtml(UTC_DATE.format(expiresAt))} UTC</time> (${relativeExpiry(expiresAt, now)})</dd>`,
    filesLeft === null ? '' : `<dt>Files left</dt><dd>${filesLeft}</dd>`,
    bytesLeft === null ? '' : `<dt>Space left</dt><dd>${size(bytesLeft)}</dd>`,
  ];
  const note = message ? `<p class="message">${escapeHtml(message)}</p>` : '';
  return `<h1>${escapeHtml(title)}</h1>${note}<dl>${rows.join('')}</dl>`;
}

function noticeHtml(notice: Notice | undefined): string {
  if (!notice) return '';
  const role = notice.tone === 'error' ? 'alert' : 'status';
  return `<p class="alert ${notice.tone}" role="${role}">${escapeHtml(notice.text)}</p>`;
}

function uploadsHtml(uploads: VisitorUpload[]): string {
  if (uploads.length === 0) return '';
  const items = uploads
    .map(
      (upload) =>
        `<li>${escapeHtml(upload.name)} <span class="size">${size(upload.size)}</span></li>`,
    )
    .join('');
  return `<h2>You sent</h2><ul class="sent">${items}</ul>`;
}

function body(view: UploadRequestPageView, now: Date): string {
  if (view.kind === 'dead') {
    return `<h1>${escapeHtml(view.heading)}</h1><p>${escapeHtml(view.message)}</p>`;
  }
  const details = detailsHtml(view.details, now);
  if (view.kind === 'password') {
    const error = view.error
      ? `<p class="alert error" role="alert">${escapeHtml(view.error)}</p>`
      : '';
    return `${details}
    <form method="post" action="${escapeHtml(view.formAction)}">
      <label for="password">This upload request is protected by a password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
      ${error}
      <button type="submit">Unlock</button>
    </form>`;
  }
  const sent = uploadsHtml(view.details.uploads);
  if (view.kind === 'full') {
    return `${details}${noticeHtml(view.notice)}
    <p class="alert info" role="status">This request has received all the files it takes. Thank you.</p>${sent}`;
  }
  return `${details}${noticeHtml(view.notice)}
    <form method="post" action="${escapeHtml(view.formAction)}" enctype="multipart/form-data">
      <label for="file">Choose a file to send</label>
      <input id="file" name="file" type="file" required aria-describedby="file-hint">
      <p id="file-hint" class="size">One file at a time, up to ${size(view.details.maxFileSize)}. Only the person who asked can see it; you will see only what you sent.</p>
      <button type="submit">Send</button>
    </form>${sent}`;
}

const PAGE_EXTRA_STYLE = `
  h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  .message { white-space: pre-line; overflow-wrap: anywhere; }
  .sent { margin: 0; padding-left: 1.25rem; }
  .sent li { overflow-wrap: anywhere; }
  input[type=file] { padding: .4rem; }`;

/**
 * The page a person opens from an upload request link, server-rendered under the link page's
 * CSP (no script at all): every state is the answer to a plain GET or form POST, so it works
 * without JavaScript. Every dynamic value is escaped.
 */
export function renderUploadRequestPage(
  view: UploadRequestPageView,
  nonce: string,
  now = new Date(),
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>Strongroom upload request</title>
<style nonce="${nonce}">${LINK_PAGE_STYLE}${PAGE_EXTRA_STYLE}</style>
</head>
<body><header>Strongroom</header><main>${body(view, now)}</main></body>
</html>`;
}
