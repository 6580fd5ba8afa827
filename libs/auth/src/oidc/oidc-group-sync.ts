import { Injectable } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import type { OidcConfig } from '@strongroom/config';
import { GroupsService } from '@strongroom/groups';
import type { UserDocument } from '@strongroom/users';
import { type Claims, claimValues } from './oidc-claims';

/**
 * Brings a person's memberships of provider-bound groups in line with their groups claim at each
 * sign-in, and audits every change as the identity provider's doing.
 */
@Injectable()
export class OidcGroupSync {
  constructor(
    private readonly groups: GroupsService,
    private readonly events: SecurityEventsService,
  ) {}

  async apply(
    user: UserDocument,
    claims: Claims,
    settings: OidcConfig,
    client: ClientContext,
  ): Promise<void> {
    if (!settings.groupsClaim) return;
    const userId = user.id as string;
    const { joined, left } = await this.groups.syncIdentityGroups(
      userId,
      user.email,
      claimValues(claims, settings.groupsClaim),
    );
    const changes = [
      ...joined.map((group) => ({ type: 'group_member_added' as const, group })),
      ...left.map((group) => ({ type: 'group_member_removed' as const, group })),
    ];
    for (const { type, group } of changes) {
      await this.events.record({
        type,
        client,
        actorId: userId,
        subjectId: userId,
        details: { groupId: group.id as string, source: 'identity_provider' },
      });
    }
  }
}
