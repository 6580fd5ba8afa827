import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@strongroom/audit';
import { MfaModule, PrincipalInvalidations } from '@strongroom/auth';
import { BackupModule } from '@strongroom/backup';
import { type AppConfig, AppConfigModule } from '@strongroom/config';
import { DatabaseModule } from '@strongroom/database';
import { EncryptionModule } from '@strongroom/encryption';
import { FilesModule } from '@strongroom/files';
import { RedisModule } from '@strongroom/redis';
import { StorageModule } from '@strongroom/storage';
import { UploadsModule } from '@strongroom/uploads';
import { UsersModule } from '@strongroom/users';
import { CommanderSettingsInitializer } from './commander-settings.initializer';
import { BackupCommand } from './commands/backup.command';
import { CreateAdminCommand } from './commands/create-admin.command';
import { ResetPasswordCommand } from './commands/reset-password.command';
import { RestoreCommand } from './commands/restore.command';
import { RotateKeysCommand } from './commands/rotate-keys.command';
import { SweepCommand } from './commands/sweep.command';
import { VerifyAuditCommand } from './commands/verify-audit.command';

/** The server's services the commands run on, without HTTP; the backup drill tests use them too. */
export const CLI_SERVICE_MODULES = [
  DatabaseModule,
  AuditModule,
  UsersModule,
  StorageModule,
  EncryptionModule,
  FilesModule,
  UploadsModule,
  MfaModule,
  BackupModule,
  RedisModule,
];

/** The admin commands on the server's own services, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [AppConfigModule.forRoot(config), ...CLI_SERVICE_MODULES],
      providers: [
        // The servers cache who a session belongs to: a password reset here must reach them.
        PrincipalInvalidations,
        CreateAdminCommand,
        ResetPasswordCommand,
        SweepCommand,
        BackupCommand,
        RestoreCommand,
        RotateKeysCommand,
        VerifyAuditCommand,
        CommanderSettingsInitializer,
      ],
    };
  }
}
