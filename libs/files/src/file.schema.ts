import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { type HydratedDocument, Types } from 'mongoose';
import { KEY_PROVIDERS, type KeyProviderName } from '@strongroom/config';
import type { EncryptionHeader } from '@strongroom/encryption';
import { MAX_FILE_NAME_LENGTH } from './file-name';

export const FILE_STATUSES = ['pending', 'ready'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

@Schema({ _id: false, versionKey: false })
class EncryptionHeaderRecord implements EncryptionHeader {
  @Prop({ required: true })
  version!: number;

  @Prop({ type: String, enum: KEY_PROVIDERS })
  keyProvider?: KeyProviderName;

  @Prop({ required: true })
  kekId!: string;

  @Prop({ required: true })
  wrappedKey!: string;

  @Prop({ required: true })
  noncePrefix!: string;

  @Prop({ required: true })
  chunkSize!: number;
}
const EncryptionHeaderSchema = SchemaFactory.createForClass(EncryptionHeaderRecord);

/**
 * One uploaded file. Written in the order record `pending` → blob → `ready`; only `ready` files
 * are ever listed or served, and stale `pending` ones are swept.
 */
@Schema({ collection: 'files', versionKey: false })
export class StoredFile {
  @Prop({ type: Types.ObjectId, required: true, index: true })
  uploader!: Types.ObjectId;

  /**
   * The original name, sanitised; never used to build a storage path. Its length is counted in
   * characters, as sanitizeFileName and the API do, not in UTF-16 units as `maxlength` would.
   */
  @Prop({
    required: true,
    validate: {
      validator: (name: string) => [...name].length <= MAX_FILE_NAME_LENGTH,
      message: `name is longer than ${MAX_FILE_NAME_LENGTH} characters`,
    },
  })
  name!: string;

  /** nameSearchKeys(name): what search by name walks an index of (file-name-search.ts). */
  @Prop({ type: [String], default: undefined })
  nameKeys?: string[];

  @Prop({ required: true, min: 0, default: 0 })
  size!: number;

  @Prop({ required: true, default: 'application/octet-stream' })
  contentType!: string;

  @Prop({ type: String })
  sha256?: string;

  @Prop({ required: true })
  storageDriver!: string;

  @Prop({ required: true, unique: true })
  storageKey!: string;

  /**
   * How the blob is encrypted (its data key, wrapped); set when the record is created, before any
   * byte is stored. Absent on files stored before encryption existed: those are read as plaintext.
   */
  @Prop({ type: EncryptionHeaderSchema, required: false })
  encryption?: EncryptionHeader;

  @Prop({ type: String, required: true, enum: FILE_STATUSES, default: 'pending' })
  status!: FileStatus;

  @Prop({ required: true, default: () => new Date() })
  createdAt!: Date;

  /** The upload request (reverse share) it came in through, for files sent by someone else. */
  @Prop({ type: Types.ObjectId, required: false })
  uploadRequestId?: Types.ObjectId;

  /** When the upload completed (the record turned `ready`). */
  @Prop({ required: true, default: () => new Date(), index: true })
  uploadedAt!: Date;

  /**
   * Kept at least until then whatever the rules say later: stamped when a user's erasure had to
   * keep the file for a retention that their group memberships (erased with them) imposed.
   */
  @Prop({ type: Date, required: false })
  retainedUntil?: Date;
}

export type StoredFileDocument = HydratedDocument<StoredFile>;
/** A stored file as read, whether a document (to be saved) or a plain record (only to be read). */
export type StoredFileRecord = StoredFile & { _id: Types.ObjectId };
export const StoredFileSchema = SchemaFactory.createForClass(StoredFile);
// One per sort of the file list (FilesService.list sorts by the field, then _id): the owner's
// files, and an admin's scope=all, are read in index order a page at a time, never sorted in
// memory. Walked backwards for descending order.
for (const field of ['uploadedAt', 'name', 'size'] as const) {
  StoredFileSchema.index({ uploader: 1, status: 1, [field]: 1, _id: 1 });
  StoredFileSchema.index({ status: 1, [field]: 1, _id: 1 });
}
// Search by name: a prefix of one of the keys, within the owner's ready files (or all, for admins).
StoredFileSchema.index({ uploader: 1, status: 1, nameKeys: 1 });
StoredFileSchema.index({ status: 1, nameKeys: 1 });
StoredFileSchema.index({ status: 1, createdAt: 1 });
StoredFileSchema.index({ 'encryption.kekId': 1, _id: 1 });
StoredFileSchema.index({ uploadRequestId: 1 }, { sparse: true });
