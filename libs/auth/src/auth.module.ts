import { Module, type OnModuleInit } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { UserErasureRegistry, UsersModule, UsersService } from '@strongroom/users';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RefreshCookie } from './cookie/refresh-cookie';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { JwtStrategy } from './guards/jwt.strategy';
import { RolesGuard } from './guards/roles.guard';
import { PrincipalCacheSync } from './principal-cache/principal-cache.sync';
import { PrincipalInvalidations } from './principal-cache/principal-invalidations';
import { LoginAttemptSlot, LoginAttemptSlotSchema } from './lockout/login-attempt-slot.schema';
import { LoginLockoutService } from './lockout/login-lockout.service';
import { SecondFactorGate } from './mfa/second-factor.gate';
import { SessionAdminController } from './sessions/session-admin.controller';
import { Session, SessionSchema } from './sessions/session.schema';
import { SessionService } from './sessions/session.service';
import { SessionsController } from './sessions/sessions.controller';
import { AccessTokenService } from './tokens/access-token.service';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens/auth-token.constants';
import { RefreshToken, RefreshTokenSchema } from './tokens/refresh-token.schema';
import { RefreshTokenService } from './tokens/refresh-token.service';
import { SessionIssuer } from './tokens/session-issuer.service';

@Module({
  imports: [
    UsersModule,
    ApiKeysModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.auth.secretKey,
        signOptions: {
          algorithm: 'HS256',
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          expiresIn: Math.floor(config.auth.accessTokenTtlMs / 1000),
        },
        verifyOptions: { algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
      }),
    }),
    MongooseModule.forFeature([
      { name: RefreshToken.name, schema: RefreshTokenSchema },
      { name: LoginAttemptSlot.name, schema: LoginAttemptSlotSchema },
      { name: Session.name, schema: SessionSchema },
    ]),
  ],
  // The caller's routes before the admin's: Express tries them in order, and `me` would match `:id`.
  controllers: [AuthController, SessionsController, SessionAdminController],
  providers: [
    AuthService,
    RefreshCookie,
    AccessTokenService,
    RefreshTokenService,
    LoginLockoutService,
    JwtStrategy,
    PrincipalInvalidations,
    PrincipalCacheSync,
    JwtAuthGuard,
    RolesGuard,
    SessionIssuer,
    SessionService,
    SecondFactorGate,
  ],
  exports: [
    ApiKeysModule,
    JwtAuthGuard,
    RolesGuard,
    LoginLockoutService,
    SessionIssuer,
    SecondFactorGate,
    RefreshCookie,
  ],
})
export class AuthModule implements OnModuleInit {
  constructor(
    private readonly erasure: UserErasureRegistry,
    private readonly refreshTokens: RefreshTokenService,
    private readonly sessions: SessionService,
    private readonly lockout: LoginLockoutService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.erasure.register('sessions', async (userId) => {
      await this.sessions.deleteAllFor(userId);
      await this.refreshTokens.deleteAllFor(userId);
    });
    // Failed-login counters are keyed by email, so the email would outlive the account.
    this.erasure.register('login-attempts', async (userId) => {
      const user = await this.users.findById(userId);
      if (user) await this.lockout.forgetAccount(user.email);
    });
  }
}
