import type { Types } from 'mongoose';
import type { GuardedFile } from '@strongroom/retention';
import type { StoredFile } from '../file.schema';

/** What the deletion guard needs of a file record, hydrated or lean. */
export function guardedFile(
  file: Pick<StoredFile, 'name' | 'uploader' | 'uploadedAt' | 'retainedUntil'> & {
    _id: Types.ObjectId;
  },
): GuardedFile {
  return {
    id: file._id.toHexString(),
    name: file.name,
    ownerId: file.uploader.toHexString(),
    uploadedAt: file.uploadedAt,
    retainedUntil: file.retainedUntil,
  };
}
