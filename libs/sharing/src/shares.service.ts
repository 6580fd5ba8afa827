import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { type AuthenticatedUser, isDuplicateKeyError } from '@strongroom/common';
import {
  FileShare,
  type FileShareDocument,
  FilesService,
  GroupShare,
  type GroupShareDocument,
  type StoredFileDocument,
} from '@strongroom/files';
import { GroupsService } from '@strongroom/groups';
import { admitRecipient, LinkPolicyService } from '@strongroom/link-policy';
import { ShareNotifications } from '@strongroom/notifications';
import { UsersService } from '@strongroom/users';
import { WebhookEvents } from '@strongroom/webhooks';
import type { CreateShareRequest, ShareResponse } from './dto/sharing.dto';

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
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly linkPolicies: LinkPolicyService,
    private readonly notifications: ShareNotifications,
    private readonly webhooks: WebhookEvents,
  ) {}

  async create(
    owner: AuthenticatedUser,
    fileId: string,
    request: CreateShareRequest,
  ): Promise<Share> {
    if ((request.email === undefined) === (request.groupId === undefined)) {
      throw new BadRequestException('Give either email (one user) or groupId (a group), not both');
    }
    const file = await this.files.getAccessible(owner, fileId, 'share');
    const kind = request.email !== undefined ? 'user' : 'group';
    let share: Share;
    try {
      share =
        request.email !== undefined
          ? await this.shareWithUser(owner, file, request.email)
          : await this.shareWithGroup(owner, file, request.groupId!);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(ALREADY_SHARED[kind]);
      throw error;
    }
    await this.notifications.shareReceived({
      sharerEmail: owner.email,
      fileName: file.name,
      ...(share.kind === 'user'
        ? { recipients: [share.share.email] }
        : {
            recipients: (await this.groups.memberEmails(share.share.groupId)).filter(
              (email) => email !== owner.email,
            ),
            groupName: share.groupName,
          }),
    });
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

  private async shareWithUser(
    owner: AuthenticatedUser,
    file: StoredFileDocument,
    email: string,
  ): Promise<Share> {
    admitRecipient(await this.linkPolicies.effectiveFor(owner), email);
    const recipient = await this.users.findByEmail(email);
    if (!recipient)
      throw new UnprocessableEntityException('No user has this email; they need an account first');
    if (recipient.id === owner.id)
      throw new BadRequestException('You cannot share a file with yourself');
    const share = await this.shares.create({
      fileId: file._id,
      ownerId: file.uploader,
      userId: recipient._id,
      email: recipient.email,
    });
    return { kind: 'user', share };
  }

  private async shareWithGroup(
    owner: AuthenticatedUser,
    file: StoredFileDocument,
    groupId: string,
  ): Promise<Share> {
    const group = await this.groups.findVisible(owner, groupId);
    if (!group) {
      throw new UnprocessableEntityException(
        'No group with this id that you belong to; you can share with your own groups',
      );
    }
    const share = await this.groupShares.create({
      fileId: file._id,
      ownerId: file.uploader,
      groupId: group._id,
    });
    return { kind: 'group', share, groupName: group.name };
  }
}
