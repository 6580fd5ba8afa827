import { Prop } from '@nestjs/mongoose';
import type { Schema } from 'mongoose';
import { nameSearchKeys } from './file-name-search';
import type { StoredFile } from './file.schema';

/**
 * What a share record (and a bundle item) keeps of its file: the fields `scope=shared` sorts and
 * searches by, so the files shared with a user are read a page at a time off the grants' own
 * indexes instead of gathering every shared file's id and sorting them all. Written when the share
 * is made (the file put in the bundle), on rename (name, nameKeys), and at start-up for rows made
 * before (SharedFileFieldsMigration, BundleItemFieldsMigration); size and upload time never change.
 */
export class FileGrantFields {
  @Prop({ type: String })
  name?: string;

  @Prop({ type: Number })
  size?: number;

  @Prop({ type: Date })
  uploadedAt?: Date;

  @Prop({ type: [String], default: undefined })
  nameKeys?: string[];
}

export function fileGrantFields(
  file: Pick<StoredFile, 'name' | 'size' | 'uploadedAt'>,
): Required<FileGrantFields> {
  return {
    name: file.name,
    size: file.size,
    uploadedAt: file.uploadedAt,
    nameKeys: nameSearchKeys(file.name),
  };
}

/** One index per sort of the list (then fileId, as the list breaks ties by _id), and search. */
export function indexFileGrantFields(
  schema: Schema,
  grantee: 'userId' | 'groupId' | 'bundleId',
): void {
  for (const field of ['uploadedAt', 'name', 'size'] as const) {
    schema.index({ [grantee]: 1, [field]: 1, fileId: 1 });
  }
  schema.index({ [grantee]: 1, nameKeys: 1 });
}
