import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { GroupErasureRegistry } from './group-erasure.registry';
import { GroupMember, GroupMemberSchema } from './group-member.schema';
import { Group, GroupSchema } from './group.schema';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

@Module({
  imports: [
    UsersModule,
    MongooseModule.forFeature([
      { name: Group.name, schema: GroupSchema },
      { name: GroupMember.name, schema: GroupMemberSchema },
    ]),
  ],
  controllers: [GroupsController],
  providers: [GroupsService, GroupErasureRegistry],
  exports: [GroupsService, GroupErasureRegistry],
})
export class GroupsModule implements OnModuleInit {
  constructor(
    private readonly userErasure: UserErasureRegistry,
    private readonly groups: GroupsService,
  ) {}

  onModuleInit(): void {
    this.userErasure.register('group memberships', (userId) =>
      this.groups.removeUserEverywhere(userId),
    );
  }
}
