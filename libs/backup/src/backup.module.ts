import { Module } from '@nestjs/common';
import { EncryptionModule } from '@strongroom/encryption';
import { BackupService } from './backup.service';
import { RestoreService } from './restore.service';

/** Backup and restore on the app's own database connection and StorageProvider. */
@Module({
  imports: [EncryptionModule],
  providers: [BackupService, RestoreService],
  exports: [BackupService, RestoreService],
})
export class BackupModule {}
