import { Module } from '@nestjs/common';
import { AccountExportController } from './account-export.controller';
import { AccountExportService } from './account-export.service';

/** The GDPR routes beyond erasure (DELETE /users/:id, in libs/users): the account export. */
@Module({
  controllers: [AccountExportController],
  providers: [AccountExportService],
})
export class PrivacyModule {}
