import {
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { type AuthenticatedUser, isDuplicateKeyError } from '@strongroom/common';
import { UsersService } from '@strongroom/users';
import type { CreateGroupRequest, UpdateGroupRequest } from './dto/group.dto';
import { GroupErasureRegistry } from './group-erasure.registry';
import { GroupMember, type GroupMemberDocument } from './group-member.schema';
import { Group, type GroupDocument, groupNameKey } from './group.schema';

/** What one single sign-on changed in a person's provider-bound groups. */
export interface IdentityGroupChanges {
  joined: GroupDocument[];
  left: GroupDocument[];
}

export interface GroupWithCount {
  group: GroupDocument;
  memberCount: number;
}

const NOT_FOUND = 'Group not found';
const NAME_TAKEN = 'A group with this name exists already; pick another name';
const PROVIDER_DECIDES =
  "This group's members come from the identity provider's groups claim; change them there, or unbind the group (idpGroup: null) first";

/**
 * Groups and their members. Admins manage them; members may see the groups they belong to and
 * who else is in them; to everyone else a group does not exist (404).
 */
@Injectable()
export class GroupsService {
  constructor(
    @InjectModel(Group.name) private readonly groups: Model<Group>,
    @InjectModel(GroupMember.name) private readonly members: Model<GroupMember>,
    private readonly users: UsersService,
    private readonly erasure: GroupErasureRegistry,
  ) {}

  async create(actor: AuthenticatedUser, request: CreateGroupRequest): Promise<GroupDocument> {
    try {
      return await this.groups.create({
        name: request.name,
        nameKey: groupNameKey(request.name),
        description: request.description ?? '',
        idpGroup: request.idpGroup ?? null,
        createdBy: new Types.ObjectId(actor.id),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(NAME_TAKEN);
      throw error;
    }
  }

  /** Every group for an admin; the caller's own groups for anyone else. */
  async list(user: AuthenticatedUser): Promise<GroupWithCount[]> {
    const filter = user.role === 'admin' ? {} : { _id: { $in: await this.groupIdsOf(user.id) } };
    const groups = await this.groups.find(filter).sort({ nameKey: 1 }).exec();
    return this.withCounts(groups);
  }

  async get(user: AuthenticatedUser, id: string): Promise<GroupWithCount> {
    const group = await this.visible(user, id);
    const [withCount] = await this.withCounts([group]);
    return withCount;
  }

  async update(id: string, request: UpdateGroupRequest): Promise<GroupWithCount> {
    const changes: Partial<Group> = {};
    if (request.name !== undefined) {
      changes.name = request.name;
      changes.nameKey = groupNameKey(request.name);
    }
    if (request.description !== undefined) changes.description = request.description;
    if (request.idpGroup !== undefined) changes.idpGroup = request.idpGroup;
    let group: GroupDocument | null;
    try {
      group = isValidObjectId(id)
        ? await this.groups.findByIdAndUpdate(id, { $set: changes }, { new: true }).exec()
        : null;
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new ConflictException(NAME_TAKEN);
      throw error;
    }
    if (!group) throw new NotFoundException(NOT_FOUND);
    const [withCount] = await this.withCounts([group]);
    return withCount;
  }

  /** Shares with the group end first, so no member keeps access while the rest is removed. */
  async delete(id: string): Promise<GroupDocument> {
    const group = isValidObjectId(id) ? await this.groups.findById(id).exec() : null;
    if (!group) throw new NotFoundException(NOT_FOUND);
    await this.erasure.eraseAll(id);
    await this.members.deleteMany({ groupId: group._id }).exec();
    await this.groups.deleteOne({ _id: group._id }).exec();
    return group;
  }

  async listMembers(user: AuthenticatedUser, id: string): Promise<GroupMemberDocument[]> {
    const group = await this.visible(user, id);
    return this.members.find({ groupId: group._id }).sort({ email: 1 }).exec();
  }

  async addMember(
    actor: AuthenticatedUser,
    id: string,
    email: string,
  ): Promise<GroupMemberDocument> {
    const group = await this.visible(actor, id);
    if (group.idpGroup) throw new ConflictException(PROVIDER_DECIDES);
    const user = await this.users.findByEmail(email);
    if (!user) {
      throw new UnprocessableEntityException('No user has this email; they need an account first');
    }
    try {
      return await this.members.create({
        groupId: group._id,
        userId: user._id,
        email: user.email,
        addedBy: new Types.ObjectId(actor.id),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new ConflictException('This user is already a member of the group');
      }
      throw error;
    }
  }

  async removeMember(id: string, userId: string): Promise<GroupMemberDocument> {
    const bound = isValidObjectId(id)
      ? await this.groups.exists({ _id: id, idpGroup: { $type: 'string' } })
      : null;
    if (bound) throw new ConflictException(PROVIDER_DECIDES);
    const removed =
      isValidObjectId(id) && isValidObjectId(userId)
        ? await this.members
            .findOneAndDelete({
              groupId: new Types.ObjectId(id),
              userId: new Types.ObjectId(userId),
            })
            .exec()
        : null;
    if (!removed) throw new NotFoundException('No such member in this group');
    return removed;
  }

  /**
   * At single sign-on: the person is a member of exactly the provider-bound groups whose value
   * their groups claim holds. Groups admins manage by hand are left alone.
   */
  async syncIdentityGroups(
    userId: string,
    email: string,
    claimed: string[],
  ): Promise<IdentityGroupChanges> {
    const bound = await this.groups.find({ idpGroup: { $type: 'string' } }).exec();
    if (bound.length === 0) return { joined: [], left: [] };
    const user = new Types.ObjectId(userId);
    const memberships = await this.members
      .find({ userId: user, groupId: { $in: bound.map((group) => group._id) } }, { groupId: 1 })
      .lean()
      .exec();
    const current = new Set(memberships.map((membership) => membership.groupId.toHexString()));
    const held = new Set(claimed);
    const wanted = (group: GroupDocument) => held.has(group.idpGroup as string);
    const joined = bound.filter((group) => wanted(group) && !current.has(group.id as string));
    const left = bound.filter((group) => !wanted(group) && current.has(group.id as string));
    for (const group of joined) {
      try {
        await this.members.create({ groupId: group._id, userId: user, email, addedBy: user });
      } catch (error) {
        // A parallel sign-in of the same person added it first.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    if (left.length > 0) {
      await this.members
        .deleteMany({ userId: user, groupId: { $in: left.map((group) => group._id) } })
        .exec();
    }
    return { joined, left };
  }

  /** The groups a user belongs to, as the access policy asks on every read of a file. */
  async groupIdsOf(userId: string): Promise<Types.ObjectId[]> {
    const memberships = await this.members
      .find({ userId: new Types.ObjectId(userId) }, { groupId: 1 })
      .lean()
      .exec();
    return memberships.map((membership) => membership.groupId);
  }

  /** The addresses of a group's current members, to notify them. */
  async memberEmails(groupId: Types.ObjectId): Promise<string[]> {
    const members = await this.members.find({ groupId }, { email: 1 }).lean().exec();
    return members.map((member) => member.email);
  }

  /** Erasure step for a deleted user. */
  async removeUserEverywhere(userId: string): Promise<void> {
    await this.members.deleteMany({ userId: new Types.ObjectId(userId) }).exec();
  }

  /** The group if the user may see it (an admin, or a member), else null. */
  async findVisible(user: AuthenticatedUser, id: string): Promise<GroupDocument | null> {
    const group = isValidObjectId(id) ? await this.groups.findById(id).exec() : null;
    if (!group || user.role === 'admin') return group;
    const member = await this.members.exists({
      groupId: group._id,
      userId: new Types.ObjectId(user.id),
    });
    return member ? group : null;
  }

  async exists(id: string): Promise<boolean> {
    return isValidObjectId(id) && Boolean(await this.groups.exists({ _id: id }));
  }

  /** Current names by group id, for lists that show which groups something is shared with. */
  async namesOf(ids: Types.ObjectId[]): Promise<Map<string, string>> {
    const groups = await this.groups
      .find({ _id: { $in: ids } }, { name: 1 })
      .lean()
      .exec();
    return new Map(groups.map((group) => [group._id.toHexString(), group.name]));
  }

  private async visible(user: AuthenticatedUser, id: string): Promise<GroupDocument> {
    const group = await this.findVisible(user, id);
    if (!group) throw new NotFoundException(NOT_FOUND);
    return group;
  }

  private async withCounts(groups: GroupDocument[]): Promise<GroupWithCount[]> {
    const counts = await this.members
      .aggregate<{ _id: Types.ObjectId; count: number }>([
        { $match: { groupId: { $in: groups.map((group) => group._id) } } },
        { $group: { _id: '$groupId', count: { $sum: 1 } } },
      ])
      .exec();
    const countOf = new Map(counts.map((entry) => [entry._id.toHexString(), entry.count]));
    return groups.map((group) => ({ group, memberCount: countOf.get(group.id as string) ?? 0 }));
  }
}
