import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { type AuthenticatedUser, isDuplicateKeyError } from '@strongroom/common';
import {
  fileGrantFields,
  FileShare,
  type FileShareDocument,
  FilesService,
  GroupShare,
  type GroupShareDocument,
} from '@strongroom/files';
import { GroupsService } from '@strongroom/groups';
import { WebhookEvents } from '@strongroom/webhooks';
import type { CreateShareRequest, ShareResponse } from './dto/sharing.dto';
import { assertOneRecipient, ShareRecipients } from './share-recipients';

/** A share with one user, or with a group and the group's current name. */
export type Share =
  | { kind: 'user'; share: FileShareDocument }
  | { kind: 'group'; share: GroupShareDocument; groupName: string };

export function toShareResponse(entry: Share): ShareResponse {
  const { share } = entry;
  const common = {
    id: share.id as string,
    fileId: share.fileId.toHexString(),
    createdAt: share.createdAt,
  };
  return entry.kind === 'user'
    ? { ...common, userId: entry.share.userId.toHexString(), email: entry.share.email }
    : { ...common, groupId: entry.share.groupId.toHexString(), groupName: entry.groupName };
}

/** Who a share reaches, for the audit trail: the user, or the group. */
export function shareAudience(entry: Share): { subjectId?: string; details?: { groupId: string } } {
  return entry.kind === 'user'
    ? { subjectId: entry.share.userId.toHexString() }
    : { details: { groupId: entry.share.groupId.toHexString() } };
}

const ALREADY_SHARED = {
  user: 'The file is already shared with this user',
  group: 'The file is already shared with this group',
};

@Injectable()
export class SharesService {
  constructor(
    @InjectModel(FileShare.name) private readonly shares: Model<FileShare>,
    @InjectModel(GroupShare.name) private readonly groupShares: Model<GroupShare>,
    private readonly files: FilesService,
    private readonly groups: GroupsService,
    private readonly recipients: ShareRecipients,
    private readonly webhooks: WebhookEvents,
  ) {}

  async create(
    owner: AuthenticatedUser,
    fileId: string,
    request: CreateShareRequest,
  ): Promise<Share> {
    assertOneRecipient(request);
    const file = await this.files.getAccessible(owner, fileId, 'share');
    const recipient = await this.recipients.resolve(owner, request);
    let share: Share;
    try {
      share =
        recipient.kind === 'user'
          ? {
              kind: 'user',
              share: await this.shares.create({
                ...fileGrantFields(file),
                fileId: file._id,
                ownerId: file.uploader,
                userId: recipient.userId,
                email: recipient.email,
              }),
            }
          : {
              kind: 'group',
              share: await this.groupShares.create({
                ...fileGrantFields(file),
                fileId: file._id,
                ownerId: file.uploader,
                groupId: recipient.groupId,
              }),
              groupName: recipient.groupName,
            };
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(ALREADY_SHARED[recipient.kind]);
      throw error;
    }
    await this.recipients.notify(owner, file.name, recipient);
    await this.webhooks.publish({
      type: 'share.created',
      ownerId: owner.id,
      data: { ...toShareResponse(share), fileName: file.name },
    });
    return share;
  }

  async list(user: AuthenticatedUser, fileId: string): Promise<Share[]> {
    const file = await this.files.getAccessible(user, fileId, 'modify');
    const [direct, withGroups] = await Promise.all([
      this.shares.find({ fileId: file._id }).exec(),
      this.groupShares.find({ fileId: file._id }).exec(),
    ]);
    const names = await this.groups.namesOf(withGroups.map((share) => share.groupId));
    return [
      ...direct.map((share): Share => ({ kind: 'user', share })),
      ...withGroups.map((share): Share => ({
        kind: 'group',
        share,
        groupName: names.get(share.groupId.toHexString()) ?? '',
      })),
    ].sort((a, b) => a.share.createdAt.getTime() - b.share.createdAt.getTime());
  }

  async revoke(user: AuthenticatedUser, fileId: string, shareId: string): Promise<Share> {
    const file = await this.files.getAccessible(user, fileId, 'modify');
    if (isValidObjectId(shareId)) {
      const filter = { _id: new Types.ObjectId(shareId), fileId: file._id };
      const direct = await this.shares.findOneAndDelete(filter).exec();
      if (direct) return { kind: 'user', share: direct };
      const withGroup = await this.groupShares.findOneAndDelete(filter).exec();
      if (withGroup) return { kind: 'group', share: withGroup, groupName: '' };
    }
    throw new NotFoundException('Share not found');
  }

  /** Erasure steps: a deleted file's shares; the shares a deleted user received; a deleted group's. */
  async deleteForFile(fileId: string): Promise<void> {
    const filter = { fileId: new Types.ObjectId(fileId) };
    await this.shares.deleteMany(filter).exec();
    await this.groupShares.deleteMany(filter).exec();
  }

  async deleteReceivedBy(userId: string): Promise<void> {
    await this.shares.deleteMany({ userId: new Types.ObjectId(userId) }).exec();
  }

  async deleteForGroup(groupId: string): Promise<void> {
    await this.groupShares.deleteMany({ groupId: new Types.ObjectId(groupId) }).exec();
  }
}
