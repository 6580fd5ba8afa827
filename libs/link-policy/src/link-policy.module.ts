import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { GroupErasureRegistry, GroupsModule } from '@strongroom/groups';
import { LinkPolicyRule, LinkPolicyRuleSchema } from './link-policy-rule.schema';
import { LinkPolicyController } from './link-policy.controller';
import { LinkPolicyService } from './link-policy.service';

@Module({
  imports: [
    GroupsModule,
    MongooseModule.forFeature([{ name: LinkPolicyRule.name, schema: LinkPolicyRuleSchema }]),
  ],
  controllers: [LinkPolicyController],
  providers: [LinkPolicyService],
  exports: [LinkPolicyService],
})
export class LinkPolicyModule implements OnModuleInit {
  constructor(
    private readonly groupErasure: GroupErasureRegistry,
    private readonly policies: LinkPolicyService,
  ) {}

  onModuleInit(): void {
    this.groupErasure.register('link policy', (groupId) => this.policies.deleteForGroup(groupId));
  }
}
