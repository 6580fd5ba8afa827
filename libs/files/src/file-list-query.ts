import { Types } from 'mongoose';
import { nameSearchFilter } from './file-name-search';

export type FileScope = 'mine' | 'shared' | 'all';
export type FileSortField = 'name' | 'size' | 'uploadedAt';

export interface FileSearch {
  scope: FileScope;
  page: number;
  limit: number;
  q?: string;
  sort: FileSortField;
  order: 'asc' | 'desc';
}

/**
 * The file list's query for a caller: their ready files (`mine`) or every ready file (`all`;
 * `shared` is read off the grants: grantPageQuery); narrowed by a name search; in the requested
 * order with `_id` breaking ties.
 */
export function fileListQuery(
  userId: string,
  search: Pick<FileSearch, 'scope' | 'q' | 'sort' | 'order'> & { scope: 'mine' | 'all' },
): { filter: Record<string, unknown>; sort: Record<string, 1 | -1> } {
  const filter: Record<string, unknown> = { status: 'ready' };
  if (search.scope === 'mine') filter.uploader = new Types.ObjectId(userId);
  return searchedInOrder(filter, search, '_id');
}

/**
 * One grant collection's part of `scope=shared`: the grants of `grantee` (a user's shares, their
 * groups' shares, the items of the bundles shared with them), narrowed by a name search on the file fields they keep, in the list's
 * order with `fileId` breaking ties (the file's `_id`, as in the list itself).
 */
export function grantPageQuery(
  grantee: Record<string, unknown>,
  search: Pick<FileSearch, 'q' | 'sort' | 'order'>,
): { filter: Record<string, unknown>; sort: Record<string, 1 | -1> } {
  return searchedInOrder({ ...grantee }, search, 'fileId');
}

/** The filter narrowed by the name search, and the list's order with the file's id last. */
function searchedInOrder(
  filter: Record<string, unknown>,
  search: Pick<FileSearch, 'q' | 'sort' | 'order'>,
  fileIdField: '_id' | 'fileId',
): { filter: Record<string, unknown>; sort: Record<string, 1 | -1> } {
  if (search.q?.trim()) Object.assign(filter, nameSearchFilter(search.q));
  const direction = search.order === 'asc' ? 1 : -1;
  return { filter, sort: { [search.sort]: direction, [fileIdField]: direction } };
}
