import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PasswordChangeListeners, UserErasureRegistry, UsersModule } from '@strongroom/users';
import { ApiKeyAdminController } from './api-key-admin.controller';
import { ApiKeyAuthenticator } from './api-key-authenticator.service';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder';
import { ApiKey, ApiKeySchema } from './api-key.schema';
import { ApiKeyService } from './api-key.service';
import { ApiKeysController } from './api-keys.controller';

@Module({
  imports: [UsersModule, MongooseModule.forFeature([{ name: ApiKey.name, schema: ApiKeySchema }])],
  // The caller's routes first: Express tries them in order, and `me` would match `:id`.
  controllers: [ApiKeysController, ApiKeyAdminController],
  providers: [ApiKeyService, ApiKeyAuthenticator, ApiKeyUsageRecorder],
  exports: [ApiKeyAuthenticator],
})
export class ApiKeysModule implements OnModuleInit {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly erasure: UserErasureRegistry,
    private readonly passwordChanges: PasswordChangeListeners,
  ) {}

  onModuleInit(): void {
    this.erasure.register('api-keys', (userId) => this.keys.deleteAllFor(userId));
    this.passwordChanges.register(async ({ userId, revokeApiKeys, client }) => {
      if (revokeApiKeys) await this.keys.revokeAll(userId, userId, client, 'password_changed');
    });
  }
}
