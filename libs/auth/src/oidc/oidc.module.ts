import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TerminusModule } from '@nestjs/terminus';
import { GroupsModule } from '@strongroom/groups';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { AuthModule } from '../auth.module';
import { OidcAttemptCookie } from './oidc-attempt.cookie';
import { OidcAttempt, OidcAttemptSchema } from './oidc-attempt.schema';
import { OidcAttemptStore } from './oidc-attempt.store';
import { OidcGroupSync } from './oidc-group-sync';
import { OidcIdentity, OidcIdentitySchema } from './oidc-identity.schema';
import { OidcIdentityService } from './oidc-identity.service';
import { OidcLinkController } from './oidc-link.controller';
import { OidcProviderClient } from './oidc-provider.client';
import { OidcProviderHealthIndicator } from './oidc-provider.health-indicator';
import { OidcSignInService } from './oidc-sign-in.service';
import { OidcController } from './oidc.controller';

@Module({
  imports: [
    AuthModule,
    GroupsModule,
    UsersModule,
    TerminusModule,
    MongooseModule.forFeature([
      { name: OidcAttempt.name, schema: OidcAttemptSchema },
      { name: OidcIdentity.name, schema: OidcIdentitySchema },
    ]),
  ],
  controllers: [OidcController, OidcLinkController],
  providers: [
    OidcAttemptCookie,
    OidcAttemptStore,
    OidcGroupSync,
    OidcIdentityService,
    OidcProviderClient,
    OidcProviderHealthIndicator,
    OidcSignInService,
  ],
  exports: [OidcProviderHealthIndicator],
})
export class OidcModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly identities: OidcIdentityService,
  ) {}

  onModuleInit(): void {
    this.erasure.register('oidc-identities', (userId) => this.identities.deleteAllFor(userId));
  }
}
