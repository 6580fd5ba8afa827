import { session } from './session';

export type UploadRequestState = 'open' | 'full' | 'expired' | 'closed';

export interface UploadRequest {
  id: string;
  title: string;
  message: string | null;
  expiresAt: string;
  maxFiles: number | null;
  maxTotalSize: number | null;
  hasPassword: boolean;
  state: UploadRequestState;
  files: number;
  bytes: number;
  closedAt: string | null;
  createdAt: string;
}

export interface CreatedUploadRequest extends UploadRequest {
  token: string;
  url: string;
}

export interface NewUploadRequest {
  title: string;
  message?: string;
  expiresAt?: string;
  maxFiles?: number;
  password?: string;
}

export const listUploadRequests = async () =>
  ((await session.request('/api/v1/upload-requests')) as { items: UploadRequest[] }).items;

export const createUploadRequest = (request: NewUploadRequest) =>
  session.request('/api/v1/upload-requests', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  }) as Promise<CreatedUploadRequest>;

export const closeUploadRequest = (id: string) =>
  session.request(`/api/v1/upload-requests/${id}/close`, {
    method: 'POST',
  }) as Promise<UploadRequest>;

export async function deleteUploadRequest(id: string): Promise<void> {
  await session.request(`/api/v1/upload-requests/${id}`, { method: 'DELETE' });
}
