import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { AuthModule } from '../auth.module';
import { SecondFactorGate } from '../mfa/second-factor.gate';
import { MfaModule } from '../mfa/mfa.module';
import { PasskeyCredentials } from './passkey-credentials.service';
import { Passkey, PasskeySchema } from './passkey.schema';
import { PasskeySettingsService } from './passkey-settings.service';
import { PasskeySignInController } from './passkey-sign-in.controller';
import { PasskeySignInService } from './passkey-sign-in.service';
import { PasskeysController } from './passkeys.controller';
import { WebAuthnChallenge, WebAuthnChallengeSchema } from './webauthn-challenge.schema';
import { WebAuthnChallengeStore } from './webauthn-challenge.store';
import { WebAuthnRelyingParty } from './webauthn-relying-party';

@Module({
  imports: [
    AuthModule,
    UsersModule,
    MfaModule,
    MongooseModule.forFeature([
      { name: Passkey.name, schema: PasskeySchema },
      { name: WebAuthnChallenge.name, schema: WebAuthnChallengeSchema },
    ]),
  ],
  controllers: [PasskeysController, PasskeySignInController],
  providers: [
    PasskeyCredentials,
    PasskeySettingsService,
    PasskeySignInService,
    WebAuthnChallengeStore,
    WebAuthnRelyingParty,
  ],
})
export class PasskeysModule implements OnModuleInit {
  constructor(
    private readonly gate: SecondFactorGate,
    private readonly credentials: PasskeyCredentials,
    private readonly challenges: WebAuthnChallengeStore,
    private readonly erasure: UserErasureRegistry,
  ) {}

  onModuleInit(): void {
    this.gate.addFactor('passkey', (userId) => this.credentials.hasAny(userId));
    this.erasure.register('passkeys', async (userId) => {
      await this.credentials.removeAllOf(userId);
      await this.challenges.forget(userId);
    });
  }
}
