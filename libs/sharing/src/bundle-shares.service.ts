import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { type BundleGrantSource, BundlesService } from '@strongroom/bundles';
import { type AuthenticatedUser, isDuplicateKeyError } from '@strongroom/common';
import type { FileGrantSource, FileSearch, GrantRows, StoredFile } from '@strongroom/files';
import { GroupsService } from '@strongroom/groups';
import { BundleShare, type BundleShareDocument } from './bundle-share.schema';
import type { BundleShareResponse, CreateShareRequest } from './dto/sharing.dto';
import { assertOneRecipient, ShareRecipients } from './share-recipients';

const ALREADY_SHARED = {
  user: 'The bundle is already shared with this user',
  group: 'The bundle is already shared with this group',
};

/** A bundle share with the group's current name (group shares). */
export interface NamedBundleShare {
  share: BundleShareDocument;
  groupName?: string;
}

export function toBundleShareResponse({ share, groupName }: NamedBundleShare): BundleShareResponse {
  return {
    id: share.id as string,
    bundleId: share.bundleId.toHexString(),
    ...(share.userId
      ? { userId: share.userId.toHexString(), email: share.email ?? undefined }
      : { groupId: share.groupId?.toHexString(), groupName: groupName ?? '' }),
    createdAt: share.createdAt,
  };
}

/** Who a bundle share reaches, for the audit trail. */
export function bundleShareAudience(share: BundleShareDocument): {
  subjectId?: string;
  details: { bundleId: string; groupId?: string };
} {
  const bundleId = share.bundleId.toHexString();
  return share.userId
    ? { subjectId: share.userId.toHexString(), details: { bundleId } }
    : { details: { bundleId, groupId: share.groupId!.toHexString() } };
}

/**
 * Bundles shared with users and groups, through the same recipient rules as file shares. What a
 * recipient may read is a grant source for FileAccessPolicy: the bundle's files as they are now,
 * so a file taken out of (or deleted from) the bundle is out of reach at once. Which bundles reach
 * a user is a grant source for BundlesService (listing and opening shared bundles).
 */
@Injectable()
export class BundleSharesService implements FileGrantSource, BundleGrantSource {
  constructor(
    @InjectModel(BundleShare.name) private readonly shares: Model<BundleShare>,
    private readonly bundles: BundlesService,
    private readonly groups: GroupsService,
    private readonly recipients: ShareRecipients,
  ) {}

  async create(
    owner: AuthenticatedUser,
    bundleId: string,
    request: CreateShareRequest,
  ): Promise<NamedBundleShare> {
    assertOneRecipient(request);
    const bundle = await this.bundles.owned(owner, bundleId);
    const recipient = await this.recipients.resolve(owner, request);
    let share: BundleShareDocument;
    try {
      share = await this.shares.create({
        bundleId: bundle._id,
        ownerId: bundle.ownerId,
        ...(recipient.kind === 'user'
          ? { userId: recipient.userId, email: recipient.email }
          : { groupId: recipient.groupId }),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(ALREADY_SHARED[recipient.kind]);
      throw error;
    }
    await this.recipients.notify(owner, bundle.name, recipient);
    return { share, groupName: recipient.kind === 'group' ? recipient.groupName : undefined };
  }

  async list(owner: AuthenticatedUser, bundleId: string): Promise<NamedBundleShare[]> {
    const bundle = await this.bundles.owned(owner, bundleId);
    const shares = await this.shares.find({ bundleId: bundle._id }).sort({ createdAt: 1 }).exec();
    const names = await this.groups.namesOf(
      shares.flatMap((share) => (share.groupId ? [share.groupId] : [])),
    );
    return shares.map((share) => ({
      share,
      groupName: share.groupId ? names.get(share.groupId.toHexString()) : undefined,
    }));
  }

  async revoke(
    owner: AuthenticatedUser,
    bundleId: string,
    shareId: string,
  ): Promise<BundleShareDocument> {
    const bundle = await this.bundles.owned(owner, bundleId);
    const share = isValidObjectId(shareId)
      ? await this.shares.findOneAndDelete({ _id: shareId, bundleId: bundle._id }).exec()
      : null;
    if (!share) throw new NotFoundException('Share not found');
    return share;
  }

  async reaches(
    userId: Types.ObjectId,
    groupIds: Types.ObjectId[],
    fileId: Types.ObjectId,
  ): Promise<boolean> {
    const bundleIds = await this.sharedBundles(userId, groupIds);
    return bundleIds.length > 0 && this.bundles.anyHolds(bundleIds, fileId);
  }

  async reachingAmong(
    userId: Types.ObjectId,
    groupIds: Types.ObjectId[],
    fileIds: readonly Types.ObjectId[],
  ): Promise<Types.ObjectId[]> {
    const bundleIds = await this.sharedBundles(userId, groupIds);
    return bundleIds.length > 0 ? this.bundles.heldAmong(bundleIds, fileIds) : [];
  }

  /**
   * The items of the bundles shared with the user or their groups. How many bundles that is is
   * bounded by the shares owners made to them (read off bundle_shares' userId and groupId
   * indexes), not by the files the bundles hold.
   */
  async rowsReaching(
    userId: Types.ObjectId,
    groupIds: Types.ObjectId[],
    search: Pick<FileSearch, 'q' | 'sort' | 'order'>,
  ): Promise<GrantRows | undefined> {
    const bundleIds = await this.sharedBundles(userId, groupIds);
    return bundleIds.length > 0 ? this.bundles.itemRows(bundleIds, search) : undefined;
  }

  async renamed(
    file: Pick<StoredFile, 'name' | 'size' | 'uploadedAt'> & { _id: Types.ObjectId },
  ): Promise<void> {
    await this.bundles.renamed(file);
  }

  async bundlesReaching(userId: string): Promise<Types.ObjectId[]> {
    return this.sharedBundles(new Types.ObjectId(userId), await this.groups.groupIdsOf(userId));
  }

  /** Erasure steps: a deleted bundle's shares; those a deleted user received; a deleted group's. */
  async deleteForBundle(bundleId: string): Promise<void> {
    await this.shares.deleteMany({ bundleId: new Types.ObjectId(bundleId) }).exec();
  }

  async deleteReceivedBy(userId: string): Promise<void> {
    await this.shares.deleteMany({ userId: new Types.ObjectId(userId) }).exec();
  }

  async deleteForGroup(groupId: string): Promise<void> {
    await this.shares.deleteMany({ groupId: new Types.ObjectId(groupId) }).exec();
  }

  private async sharedBundles(
    userId: Types.ObjectId,
    groupIds: Types.ObjectId[],
  ): Promise<Types.ObjectId[]> {
    const shares = await this.shares
      .find(
        { $or: [{ userId }, ...(groupIds.length ? [{ groupId: { $in: groupIds } }] : [])] },
        { bundleId: 1 },
      )
      .lean()
      .exec();
    return shares.map((share) => share.bundleId);
  }
}
