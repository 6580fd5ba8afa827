import { saveAuthorized } from './files';
import { jsonRequest } from './json-request';
import { session } from './session';
import type { CreatedLink, Link, NewLink, Share, ShareAudience } from './sharing';

export interface BundleFile {
  id: string;
  name: string;
  size: number;
  contentType: string;
}

export interface Bundle {
  id: string;
  name: string;
  /** In order; a deleted file is no longer listed. */
  files: BundleFile[];
  totalSize: number;
  createdAt: string;
  updatedAt: string;
  /** On a bundle shared with the caller: who shared it. */
  owner?: string;
}

export interface BundlePage {
  items: Bundle[];
  page: number;
  limit: number;
  total: number;
}

export const SHARED_PAGE_SIZE = 20;

const BUNDLES = '/api/v1/bundles';

export const listBundles = () => session.request(BUNDLES) as Promise<Bundle[]>;

/** Other people's bundles shared with the caller or a group of theirs, newest first. */
export const listSharedBundles = (page: number) =>
  session.request(
    `${BUNDLES}?scope=shared&page=${page}&limit=${SHARED_PAGE_SIZE}`,
  ) as Promise<BundlePage>;

export const downloadBundleArchive = (bundle: Pick<Bundle, 'id' | 'name'>) =>
  saveAuthorized(`${BUNDLES}/${bundle.id}/archive`, `${bundle.name}.zip`);

export const createBundle = (name: string) =>
  session.request(BUNDLES, jsonRequest('POST', { name })) as Promise<Bundle>;

/** `fileIds` is the whole new list: it adds, removes and reorders in one. */
export const updateBundle = (id: string, change: { name?: string; fileIds?: string[] }) =>
  session.request(`${BUNDLES}/${id}`, jsonRequest('PATCH', change)) as Promise<Bundle>;

export async function deleteBundle(id: string): Promise<void> {
  await session.request(`${BUNDLES}/${id}`, { method: 'DELETE' });
}

export const addBundleFiles = (id: string, fileIds: string[]) =>
  session.request(`${BUNDLES}/${id}/files`, jsonRequest('POST', { fileIds })) as Promise<Bundle>;

export async function removeBundleFile(id: string, fileId: string): Promise<void> {
  await session.request(`${BUNDLES}/${id}/files/${fileId}`, { method: 'DELETE' });
}

export const listBundleLinks = (id: string) =>
  session.request(`${BUNDLES}/${id}/links`) as Promise<Link[]>;

export const createBundleLink = (id: string, link: NewLink) =>
  session.request(`${BUNDLES}/${id}/links`, jsonRequest('POST', link)) as Promise<CreatedLink>;

export const listBundleShares = (id: string) =>
  session.request(`${BUNDLES}/${id}/shares`) as Promise<Share[]>;

export const shareBundle = (id: string, audience: ShareAudience) =>
  session.request(`${BUNDLES}/${id}/shares`, jsonRequest('POST', audience)) as Promise<Share>;

export async function revokeBundleShare(id: string, shareId: string): Promise<void> {
  await session.request(`${BUNDLES}/${id}/shares/${shareId}`, { method: 'DELETE' });
}
