import { Module, type OnModuleInit } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { hkdfSync } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { EncryptionModule, KeyRotation, MongoSealedKeyStore } from '@strongroom/encryption';
import { UserErasureRegistry, UsersModule } from '@strongroom/users';
import { AuthModule } from '../auth.module';
import { TOKEN_ISSUER } from '../tokens/auth-token.constants';
import { MfaCodeLedger } from './mfa-code-ledger.service';
import { MfaSettingsService } from './mfa-settings.service';
import { MfaSignInController } from './mfa-sign-in.controller';
import { MfaSignInService } from './mfa-sign-in.service';
import { MfaSpentCode, MfaSpentCodeSchema } from './mfa-spent-code.schema';
import { MFA_TOKEN_AUDIENCE, MfaTokenService } from './mfa-token.service';
import { MfaController } from './mfa.controller';
import { SecondFactorGate } from './second-factor.gate';
import { TotpFactor, TotpFactorSchema } from './totp-factor.schema';
import { TotpFactorService } from './totp-factor.service';
import { TotpSecretSealer } from './totp-secret-sealer';

/** A key of its own for mfaTokens, so no access-token check can ever accept one. */
const mfaTokenKey = (secretKey: string) =>
  Buffer.from(hkdfSync('sha256', secretKey, '', 'strongroom mfa token', 32));

@Module({
  imports: [
    AuthModule,
    UsersModule,
    EncryptionModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: mfaTokenKey(config.auth.secretKey),
        signOptions: {
          algorithm: 'HS256',
          issuer: TOKEN_ISSUER,
          audience: MFA_TOKEN_AUDIENCE,
          expiresIn: Math.floor(config.mfa.tokenTtlMs / 1000),
        },
        verifyOptions: {
          algorithms: ['HS256'],
          issuer: TOKEN_ISSUER,
          audience: MFA_TOKEN_AUDIENCE,
        },
      }),
    }),
    MongooseModule.forFeature([
      { name: TotpFactor.name, schema: TotpFactorSchema },
      { name: MfaSpentCode.name, schema: MfaSpentCodeSchema },
    ]),
  ],
  controllers: [MfaController, MfaSignInController],
  providers: [
    MfaCodeLedger,
    MfaSettingsService,
    MfaSignInService,
    MfaTokenService,
    TotpFactorService,
    TotpSecretSealer,
  ],
  exports: [MfaSignInService],
})
export class MfaModule implements OnModuleInit {
  constructor(
    private readonly gate: SecondFactorGate,
    private readonly signIn: MfaSignInService,
    private readonly factors: TotpFactorService,
    private readonly erasure: UserErasureRegistry,
    private readonly keyRotation: KeyRotation,
    @InjectModel(TotpFactor.name) private readonly totpFactors: Model<TotpFactor>,
  ) {}

  onModuleInit(): void {
    this.gate.use((user) => this.signIn.challengeFor(user));
    this.erasure.register('mfa', async (userId) => {
      await this.factors.remove(userId);
    });
    this.keyRotation.register(
      new MongoSealedKeyStore(this.totpFactors, {
        kind: 'TOTP secrets',
        kekIdPath: 'kekId',
        wrappedKeyPath: 'sealedSecret',
        binding: (factor) => TotpSecretSealer.bindingOf(factor.userId),
      }),
    );
  }
}
