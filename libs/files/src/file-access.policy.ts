import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import type { AuthenticatedUser } from '@strongroom/common';
import { GroupsService } from '@strongroom/groups';
import { FileGrantRegistry } from './file-grant.registry';
import { grantsAmongQuery } from './grants-among-query';
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
   * each, decided for a whole list (a bundle) with one look per kind of grant at those files.
   */
  async readable<T extends Pick<StoredFile, 'uploader'> & { _id: Types.ObjectId }>(
    user: AuthenticatedUser,
    files: readonly T[],
  ): Promise<T[]> {
    const own = (file: T) => file.uploader.toHexString() === user.id;
    if (user.role === 'admin' || files.every(own)) return [...files];
    const others = files.filter((file) => !own(file)).map((file) => file._id);
    const shared = new Set((await this.sharedAmong(user.id, others)).map((id) => id.toHexString()));
    return files.filter((file) => own(file) || shared.has(file._id.toHexString()));
  }

  /**
   * Which of `fileIds` are shared with the user, directly, through their groups or through the
   * other grants: each grant collection is asked about those files only (by their `{fileId,
   * grantee}` index), so a bundle of 500 files costs the same whatever else they were given.
   */
  private async sharedAmong(
    userId: string,
    fileIds: readonly Types.ObjectId[],
  ): Promise<Types.ObjectId[]> {
    const user = new Types.ObjectId(userId);
    const groupIds = await this.groups.groupIdsOf(userId);
    const fileIdsOf = (
      model: Model<FileShare> | Model<GroupShare>,
      grantee: Record<string, unknown>,
    ) =>
      (model as Model<FileShare>)
        .distinct('fileId', grantsAmongQuery(fileIds, grantee).filter)
        .exec();
    const found = await Promise.all([
      fileIdsOf(this.shares, { userId: user }),
      groupIds.length > 0 ? fileIdsOf(this.groupShares, { groupId: { $in: groupIds } }) : [],
      ...this.grants.all().map((source) => source.reachingAmong(user, groupIds, fileIds)),
    ]);
    return found.flat();
  }
}
