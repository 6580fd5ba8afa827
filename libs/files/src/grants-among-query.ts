import type { Types } from 'mongoose';

/**
 * The grants of some files to one grantee (a user, their groups, the bundles shared with them):
 * read off the grant collection's `{fileId, grantee}` index, so the cost follows the files asked
 * about, not everything the grantee was ever given.
 */
export function grantsAmongQuery(
  fileIds: readonly Types.ObjectId[],
  grantee: Record<string, unknown>,
): { filter: Record<string, unknown> } {
  return { filter: { fileId: { $in: fileIds }, ...grantee } };
}
