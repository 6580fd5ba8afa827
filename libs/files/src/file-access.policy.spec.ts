import { type Model, Types } from 'mongoose';
import type { AuthenticatedUser } from '@strongroom/common';
import type { GroupsService } from '@strongroom/groups';
import { type FileAction, FileAccessPolicy } from './file-access.policy';
import { FileGrantRegistry } from './file-grant.registry';
import type { FileShare } from './file-share.schema';
import type { GroupShare } from './group-share.schema';

describe('FileAccessPolicy', () => {
  const ownerId = new Types.ObjectId();
  const recipientId = new Types.ObjectId();
  const memberId = new Types.ObjectId();
  const formerMemberId = new Types.ObjectId();
  const groupId = new Types.ObjectId();
  const bundleRecipientId = new Types.ObjectId();
  const file = { _id: new Types.ObjectId(), uploader: ownerId };
  /** `distinct('fileId', filter)` of a grant collection holding `held`: the asked files held. */
  const distinctOf = (held: (filter: Record<string, unknown>) => boolean) =>
    jest.fn((_field: string, filter: { fileId: { $in: Types.ObjectId[] } }) => ({
      exec: () =>
        Promise.resolve(filter.fileId.$in.filter((id) => id.equals(file._id) && held(filter))),
    }));
  const shares = {
    distinct: distinctOf((filter) => (filter.userId as Types.ObjectId).equals(recipientId)),
    exists: jest.fn((filter: { fileId: Types.ObjectId; userId: Types.ObjectId }) =>
      Promise.resolve(
        filter.fileId.equals(file._id) && filter.userId.equals(recipientId)
          ? { _id: new Types.ObjectId() }
          : null,
      ),
    ),
  } as unknown as Model<FileShare>;
  const groupShares = {
    distinct: distinctOf((filter) =>
      (filter.groupId as { $in: Types.ObjectId[] }).$in.some((id) => id.equals(groupId)),
    ),
    exists: jest.fn((filter: { fileId: Types.ObjectId; groupId: { $in: Types.ObjectId[] } }) =>
      Promise.resolve(
        filter.fileId.equals(file._id) && filter.groupId.$in.some((id) => id.equals(groupId))
          ? { _id: new Types.ObjectId() }
          : null,
      ),
    ),
  } as unknown as Model<GroupShare>;
  const groups = {
    groupIdsOf: jest.fn((userId: string) =>
      Promise.resolve(userId === memberId.toHexString() ? [new Types.ObjectId(), groupId] : []),
    ),
  } as unknown as GroupsService;
  const grants = new FileGrantRegistry();
  grants.register('bundles', {
    reaches: (userId, _groupIds, fileId) =>
      Promise.resolve(userId.equals(bundleRecipientId) && fileId.equals(file._id)),
    reachingAmong: (userId, _groupIds, fileIds) =>
      Promise.resolve(
        userId.equals(bundleRecipientId) ? fileIds.filter((id) => id.equals(file._id)) : [],
      ),
    rowsReaching: () => Promise.resolve(undefined),
    renamed: () => Promise.resolve(),
  });
  const policy = new FileAccessPolicy(shares, groupShares, groups, grants);
  const user = (
    id: Types.ObjectId,
    role: AuthenticatedUser['role'] = 'user',
  ): AuthenticatedUser => ({
    id: id.toHexString(),
    email: 'x@example.com',
    role,
  });

  it.each<[string, AuthenticatedUser, FileAction, boolean]>([
    ['owner reads', user(ownerId), 'read', true],
    ['owner modifies', user(ownerId), 'modify', true],
    ['owner shares', user(ownerId), 'share', true],
    ['admin reads', user(new Types.ObjectId(), 'admin'), 'read', true],
    ['admin modifies', user(new Types.ObjectId(), 'admin'), 'modify', true],
    ['admin cannot share another’s file', user(new Types.ObjectId(), 'admin'), 'share', false],
    ['recipient reads', user(recipientId), 'read', true],
    ['recipient cannot modify', user(recipientId), 'modify', false],
    ['recipient cannot share', user(recipientId), 'share', false],
    ['group member reads', user(memberId), 'read', true],
    ['group member cannot modify', user(memberId), 'modify', false],
    ['group member cannot share', user(memberId), 'share', false],
    ['bundle recipient reads', user(bundleRecipientId), 'read', true],
    ['bundle recipient cannot modify', user(bundleRecipientId), 'modify', false],
    ['bundle recipient cannot share', user(bundleRecipientId), 'share', false],
    ['a member no longer cannot read', user(formerMemberId), 'read', false],
    ['stranger cannot read', user(new Types.ObjectId()), 'read', false],
    ['auditor cannot read others’ files', user(new Types.ObjectId(), 'auditor'), 'read', false],
  ])('%s → %s', async (_case, caller, action, allowed) => {
    await expect(policy.can(caller, action, file)).resolves.toBe(allowed);
  });

  describe('readable', () => {
    const own = { _id: new Types.ObjectId(), uploader: recipientId };
    const unshared = { _id: new Types.ObjectId(), uploader: ownerId };
    afterEach(() => jest.clearAllMocks());

    it.each([
      ['a direct share', recipientId],
      ['a group share', memberId],
      ['a shared bundle', bundleRecipientId],
    ])(
      'keeps, in order, the caller’s own files and those reaching them through %s',
      async (_how, id) => {
        const mine = { _id: new Types.ObjectId(), uploader: id };
        await expect(policy.readable(user(id), [unshared, file, mine])).resolves.toEqual([
          file,
          mine,
        ]);
      },
    );

    it('keeps nothing of others’ for a stranger or a former member', async () => {
      for (const id of [new Types.ObjectId(), formerMemberId]) {
        await expect(policy.readable(user(id), [unshared, file])).resolves.toEqual([]);
      }
    });

    it('asks each kind of grant about the others’ files only, not what else was shared', async () => {
      await policy.readable(user(recipientId), [unshared, own, file]);
      expect(shares.distinct).toHaveBeenCalledWith('fileId', {
        fileId: { $in: [unshared._id, file._id] },
        userId: recipientId,
      });
    });

    it('keeps everything for an admin, and an owner’s own list, without looking at shares', async () => {
      const admin = user(new Types.ObjectId(), 'admin');
      await expect(policy.readable(admin, [unshared, file])).resolves.toEqual([unshared, file]);
      await expect(policy.readable(user(ownerId), [unshared, file])).resolves.toEqual([
        unshared,
        file,
      ]);
      expect(shares.distinct).not.toHaveBeenCalled();
    });
  });
});
