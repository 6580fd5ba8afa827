import { type DetailedError, Upload } from 'tus-js-client';
import { ApiError } from './api-error';
import { AuthorizedHttpStack } from './authorized-http-stack';
import { session } from './session';
import { saveBlob } from '../save-blob';

export interface StoredFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
  uploadedAt: string;
  /** Set in the Shared with me list: who shared it. */
  ownerEmail?: string;
}

export interface FilePage {
  items: StoredFile[];
  page: number;
  limit: number;
  total: number;
}

export type SortField = 'name' | 'size' | 'uploadedAt';
export interface ListQuery {
  q: string;
  sort: SortField;
  descending: boolean;
  page: number;
}

export const PAGE_SIZE = 50;

export function listFiles(query: ListQuery, scope: 'mine' | 'shared' = 'mine'): Promise<FilePage> {
  const params = new URLSearchParams({
    scope,
    page: String(query.page),
    limit: String(PAGE_SIZE),
    sort: `${query.descending ? '-' : ''}${query.sort}`,
  });
  if (query.q.trim()) params.set('q', query.q.trim());
  return session.request(`/api/v1/files?${params}`) as Promise<FilePage>;
}

export function renameFile(id: string, name: string): Promise<StoredFile> {
  return session.request(`/api/v1/files/${id}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  }) as Promise<StoredFile>;
}

export async function deleteFile(id: string): Promise<void> {
  await session.request(`/api/v1/files/${id}`, { method: 'DELETE' });
}

export interface UploadHandle {
  /** Resolves with the id of the file the upload became. */
  done: Promise<string>;
  cancel: () => void;
}

export interface UploadEvents {
  progress(sent: number): void;
  /** The offset the server holds, where the upload (re)starts: after a reload, a drop, a retry. */
  resumed(offset: number): void;
  /** The browser went offline; the upload goes on by itself once it is back. */
  offline(): void;
}

const UPLOADS = '/api/v1/uploads';
const FILE_ID_HEADER = 'Strongroom-File-Id';
/** Per PATCH: at least S3's 5 MiB part (smaller ones store nothing there), below proxies' limits. */
const CHUNK_SIZE = 8 * 1024 * 1024;
const RETRY_DELAYS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000];
/** Fingerprints of the uploads running in this tab: one file dropped twice is two uploads. */
const running = new Set<string>();

/**
 * What tus-js-client keeps in localStorage to resume after a reload: the upload's URL (a path
 * with a random id, useless without the owner's access token), size, name and this key. The key
 * names the person, so a file another account uploaded in this browser is never resumed as theirs.
 */
function fingerprint(file: File): string {
  const owner = session.state.status === 'signed-in' ? session.state.me.id : '';
  return ['strongroom', owner, file.name, file.type, file.size, file.lastModified].join('/');
}

/** Worth another try: the network, a writer that has not let go yet (409), a server hiccup. */
function transient(status: number): boolean {
  return status === 0 || status === 409 || status === 423 || [500, 502, 504].includes(status);
}

function apiError(error: Error | DetailedError): ApiError {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  if (!response) return ApiError.network();
  let body: unknown;
  try {
    body = JSON.parse(response.getBody()) as unknown;
  } catch {
    body = null;
  }
  return ApiError.fromBody(response.getStatus(), body);
}

/**
 * A resumable upload through the tus route. A file dropped again after a reload or a failure
 * continues from the server's offset; refusals reject with the API's own message (413 names the
 * limit, 422 infected, 503 scanner down), and those are not retried, so the person sees them.
 */
export function uploadFile(file: File, events: UploadEvents): UploadHandle {
  const key = fingerprint(file);
  let settled = false;
  let waiting = false;
  let settle: (outcome: { fileId: string } | { error: Error }) => void = () => undefined;
  const done = new Promise<string>((resolve, reject) => {
    settle = (outcome) => {
      if (settled) return;
      settled = true;
      running.delete(key);
      window.removeEventListener('offline', pause);
      if ('fileId' in outcome) resolve(outcome.fileId);
      else reject(outcome.error);
    };
  });
  const upload = new Upload(file, {
    endpoint: UPLOADS,
    chunkSize: CHUNK_SIZE,
    retryDelays: RETRY_DELAYS,
    metadata: { filename: file.name, filetype: file.type },
    httpStack: new AuthorizedHttpStack(),
    fingerprint: () => Promise.resolve(key),
    removeFingerprintOnSuccess: true,
    onProgress: (sent) => events.progress(sent),
    onAfterResponse: (request, response) => {
      if (request.getMethod() === 'HEAD' && response.getStatus() === 200)
        events.resumed(Number(response.getHeader('Upload-Offset')));
    },
    onShouldRetry: (error) =>
      navigator.onLine && transient(error.originalResponse?.getStatus() ?? 0),
    onSuccess: ({ lastResponse }) =>
      settle({ fileId: lastResponse.getHeader(FILE_ID_HEADER) ?? '' }),
    onError: (error) => (navigator.onLine ? settle({ error: apiError(error) }) : waitForNetwork()),
  });

  /** Offline, retries only fail: wait for the network, then ask the server where to go on. */
  function waitForNetwork(): void {
    if (waiting || settled) return;
    waiting = true;
    events.offline();
    window.addEventListener(
      'online',
      () => {
        waiting = false;
        if (!settled) upload.start();
      },
      { once: true },
    );
  }
  // A request in flight when the network goes may hang rather than fail: stop it at once.
  function pause(): void {
    void upload.abort(false);
    waitForNetwork();
  }
  window.addEventListener('offline', pause);

  const resumable = running.has(key) ? Promise.resolve([]) : upload.findPreviousUploads();
  running.add(key);
  void resumable.then((previous) => {
    if (settled) return;
    if (previous.length > 0) upload.resumeFromPreviousUpload(previous[previous.length - 1]);
    if (navigator.onLine) upload.start();
    else waitForNetwork();
  });
  return {
    done,
    cancel: () => {
      settle({ error: new DOMException('cancelled', 'AbortError') });
      // Terminates the upload on the server (its bytes and reserved quota go) and forgets it here.
      upload.abort(true).catch(() => undefined);
    },
  };
}

/**
 * Authenticated downloads need the Authorization header, which a plain link cannot send: the bytes
 * come through fetch and are handed to the browser as a blob to save under `name`.
 */
export async function saveAuthorized(url: string, name: string): Promise<void> {
  const request = () => fetch(url, { headers: { Authorization: session.bearer() } });
  let response = await request().catch(() => {
    throw ApiError.network();
  });
  if (response.status === 401) {
    await session.loadMe();
    response = await request();
  }
  if (!response.ok)
    throw ApiError.fromBody(response.status, await response.json().catch(() => null));
  saveBlob(await response.blob(), name);
}

export const downloadFile = (file: Pick<StoredFile, 'id' | 'name'>) =>
  saveAuthorized(`/api/v1/files/${file.id}/content`, file.name);
