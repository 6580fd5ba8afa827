import { ApiError } from './api-error';
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
  done: Promise<StoredFile>;
  cancel: () => void;
}

/**
 * The multipart route through XMLHttpRequest, the one browser API that reports upload progress.
 * Refusals reject with the API's own message (413 names the limit, 422 infected, 503 scanner down).
 */
export function uploadFile(file: File, onProgress: (sent: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<StoredFile>((resolve, reject) => {
    xhr.open('POST', '/api/v1/files');
    xhr.setRequestHeader('Authorization', session.bearer());
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status === 201) resolve(xhr.response as StoredFile);
      else reject(ApiError.fromBody(xhr.status, xhr.response));
    };
    xhr.onerror = () => reject(ApiError.network());
    xhr.onabort = () => reject(new DOMException('cancelled', 'AbortError'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, cancel: () => xhr.abort() };
}

/**
 * The content route needs the Authorization header, which a plain link cannot send: the bytes
 * come through fetch and are handed to the browser as a blob to save.
 */
export async function downloadFile(file: StoredFile): Promise<void> {
  const request = () =>
    fetch(`/api/v1/files/${file.id}/content`, { headers: { Authorization: session.bearer() } });
  let response = await request().catch(() => {
    throw ApiError.network();
  });
  if (response.status === 401) {
    await session.loadMe();
    response = await request();
  }
  if (!response.ok)
    throw ApiError.fromBody(response.status, await response.json().catch(() => null));
  saveBlob(await response.blob(), file.name);
}
