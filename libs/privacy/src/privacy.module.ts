import { Module, type OnModuleInit } from '@nestjs/common';
import { AuditSubjectKeys } from '@strongroom/audit';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { AccountExportController } from './account-export.controller';
import { AccountExportService } from './account-export.service';

/**
 * The GDPR routes beyond erasure (DELETE /users/:id, in libs/users): the account export; and
 * erasure's part in the audit trail: the person's audit key is destroyed, so their personal data
 * there can no longer be read while the chain stays whole.
 */
@Module({
  imports: [UsersModule],
  controllers: [AccountExportController],
  providers: [AccountExportService],
})
export class PrivacyModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly auditKeys: AuditSubjectKeys,
  ) {}

  onModuleInit(): void {
    this.erasure.register('audit-personal-data', (userId) => this.auditKeys.erase(userId));
  }
}
