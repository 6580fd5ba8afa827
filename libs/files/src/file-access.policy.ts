import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import type { AuthenticatedUser } from '@strongroom/common';
import { FileShare } from './file-share.schema';
import type { StoredFile } from './file.schema';

/** read: metadata and bytes; modify: rename, delete, list shares and links; share: create them. */
export type FileAction = 'read' | 'modify' | 'share';

/**
 * The one place that decides who may do what with a file. Deny unless allowed: the owner may do
 * everything; admins may read and modify; users it is shared with may read. Everyone else sees
 * nothing (callers answer 404, not 403).
 */
@Injectable()
export class FileAccessPolicy {
  constructor(@InjectModel(FileShare.name) private readonly shares: Model<FileShare>) {}

  async can(
    user: AuthenticatedUser,
    action: FileAction,
    file: Pick<StoredFile, 'uploader'> & { _id: Types.ObjectId },
  ): Promise<boolean> {
    if (file.uploader.toHexString() === user.id) return true;
    if (action === 'share') return false;
    if (user.role === 'admin') return true;
    if (action !== 'read') return false;
    return Boolean(
      await this.shares.exists({ fileId: file._id, userId: new Types.ObjectId(user.id) }),
    );
  }

  /** Ids of the files shared with the user, for `scope=shared`. */
  async sharedWith(userId: string): Promise<Types.ObjectId[]> {
    const shares = await this.shares
      .find({ userId: new Types.ObjectId(userId) }, { fileId: 1 })
      .lean()
      .exec();
    return shares.map((share) => share.fileId);
  }
}
