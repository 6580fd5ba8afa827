import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import type { AuthenticatedUser } from '@strongroom/common';
import { GroupsService } from '@strongroom/groups';
import { FileGrantRegistry } from './file-grant.registry';
import { FileShare } from './file-share.schema';
import { GroupShare } from './group-share.schema';
import type { StoredFile } from './file.schema';

/** read: metadata and bytes; modify: rename, delete, list shares and links; share: create them. */
export type FileAction = 'read' | 'modify' | 'share';

/**
 * The one place that decides who may do what with a file. Deny unless allowed: the owner may do
 * everything; admins may read and modify; users it is shared with, directly or through a group
 * they are a member of now, or through a bundle shared with them or their group (FileGrantRegistry),
 * may read. Everyone else sees nothing (callers answer 404, not 403).
 */
@Injectable()
export class FileAccessPolicy {
  constructor(
    @InjectModel(FileShare.name) private readonly shares: Model<FileShare>,
    @InjectModel(GroupShare.name) private readonly groupShares: Model<GroupShare>,
    private readonly groups: GroupsService,
    private readonly grants: FileGrantRegistry,
  ) {}

  async can(
    user: AuthenticatedUser,
    action: FileAction,
    file: Pick<StoredFile, 'uploader'> & { _id: Types.ObjectId },
  ): Promise<boolean> {
    if (file.uploader.toHexString() === user.id) return true;
    if (action === 'share') return false;
    if (user.role === 'admin') return true;
    if (action !== 'read') return false;
    if (await this.shares.exists({ fileId: file._id, userId: new Types.ObjectId(user.id) })) {
      return true;
    }
    const groupIds = await this.groups.groupIdsOf(user.id);
    if (
      groupIds.length > 0 &&
      (await this.groupShares.exists({ fileId: file._id, groupId: { $in: groupIds } }))
    ) {
      return true;
    }
    const userId = new Types.ObjectId(user.id);
    for (const source of this.grants.all()) {
      if (await source.reaches(userId, groupIds, file._id)) return true;
    }
    return false;
  }

  /**
   * The files the user may read, in the order given: what `can(user, 'read', file)` answers for
   * each, decided for a whole list (a bundle) with one look at what is shared with them.
   */
  async readable<T extends Pick<StoredFile, 'uploader'> & { _id: Types.ObjectId }>(
    user: AuthenticatedUser,
    files: readonly T[],
  ): Promise<T[]> {
    const own = (file: T) => file.uploader.toHexString() === user.id;
    if (user.role === 'admin' || files.every(own)) return [...files];
    const shared = new Set((await this.sharedWith(user.id)).map((id) => id.toHexString()));
    return files.filter((file) => own(file) || shared.has(file._id.toHexString()));
  }

  /**
   * Ids of every file shared with the user, directly, through their groups or through the other
   * grants, for `readable`. (`scope=shared` pages through the grants instead: SharedFilesService.)
   */
  async sharedWith(userId: string): Promise<Types.ObjectId[]> {
    const [direct, groupIds] = await Promise.all([
      this.shares
        .find({ userId: new Types.ObjectId(userId) }, { fileId: 1 })
        .lean()
        .exec(),
      this.groups.groupIdsOf(userId),
    ]);
    const throughGroups = groupIds.length
      ? await this.groupShares
          .find({ groupId: { $in: groupIds } }, { fileId: 1 })
          .lean()
          .exec()
      : [];
    const granted = await Promise.all(
      this.grants.all().map((source) => source.reachable(new Types.ObjectId(userId), groupIds)),
    );
    const unique = new Map(
      [...direct, ...throughGroups]
        .map((share) => share.fileId)
        .concat(granted.flat())
        .map((fileId) => [fileId.toHexString(), fileId]),
    );
    return [...unique.values()];
  }
}
