import { BadRequestException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { AuthenticatedUser } from '@strongroom/common';
import { GroupsService } from '@strongroom/groups';
import { admitRecipient, LinkPolicyService } from '@strongroom/link-policy';
import { ShareNotifications } from '@strongroom/notifications';
import { UsersService } from '@strongroom/users';
import type { CreateShareRequest } from './dto/sharing.dto';

/** Whom a share reaches: one registered user, or a group the sharer belongs to. */
export type Recipient =
  | { kind: 'user'; userId: Types.ObjectId; email: string }
  | { kind: 'group'; groupId: Types.ObjectId; groupName: string };

export function assertOneRecipient(request: CreateShareRequest): void {
  if ((request.email === undefined) === (request.groupId === undefined)) {
    throw new BadRequestException('Give either email (one user) or groupId (a group), not both');
  }
}

/**
 * The part of sharing that is the same whatever is shared (a file, a bundle): who the recipient
 * is, whether the link policy lets the sharer reach them, and the e-mail they get.
 */
@Injectable()
export class ShareRecipients {
  constructor(
    private readonly users: UsersService,
    private readonly groups: GroupsService,
    private readonly linkPolicies: LinkPolicyService,
    private readonly notifications: ShareNotifications,
  ) {}

  async resolve(owner: AuthenticatedUser, request: CreateShareRequest): Promise<Recipient> {
    assertOneRecipient(request);
    if (request.email !== undefined) {
      admitRecipient(await this.linkPolicies.effectiveFor(owner), request.email);
      const recipient = await this.users.findByEmail(request.email);
      if (!recipient)
        throw new UnprocessableEntityException(
          'No user has this email; they need an account first',
        );
      if (recipient.id === owner.id)
        throw new BadRequestException('You cannot share a file with yourself');
      return { kind: 'user', userId: recipient._id, email: recipient.email };
    }
    const group = await this.groups.findVisible(owner, request.groupId!);
    if (!group) {
      throw new UnprocessableEntityException(
        'No group with this id that you belong to; you can share with your own groups',
      );
    }
    return { kind: 'group', groupId: group._id, groupName: group.name };
  }

  /** Tells the recipient (every member but the sharer, for a group) what was shared. */
  async notify(owner: AuthenticatedUser, name: string, recipient: Recipient): Promise<void> {
    await this.notifications.shareReceived({
      sharerEmail: owner.email,
      fileName: name,
      ...(recipient.kind === 'user'
        ? { recipients: [recipient.email] }
        : {
            recipients: (await this.groups.memberEmails(recipient.groupId)).filter(
              (email) => email !== owner.email,
            ),
            groupName: recipient.groupName,
          }),
    });
  }
}
