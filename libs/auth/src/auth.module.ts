import { Module, type OnModuleInit } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { UserErasureRegistry, UsersModule, UsersService } from '@strongroom/users';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { RefreshCookie } from './cookie/refresh-cookie';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { JwtStrategy } from './guards/jwt.strategy';
import { RolesGuard } from './guards/roles.guard';
import { LoginAttemptSlot, LoginAttemptSlotSchema } from './lockout/login-attempt-slot.schema';
import { LoginLockoutService } from './lockout/login-lockout.service';
import { SecondFactorGate } from './mfa/second-factor.gate';
import { AccessTokenService } from './tokens/access-token.service';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './tokens/auth-token.constants';
import { RefreshToken, RefreshTokenSchema } from './tokens/refresh-token.schema';
import { RefreshTokenService } from './tokens/refresh-token.service';
import { SessionIssuer } from './tokens/session-issuer.service';

@Module({
  imports: [
    UsersModule,
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
    ]),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    RefreshCookie,
    AccessTokenService,
    RefreshTokenService,
    LoginLockoutService,
    JwtStrategy,
    JwtAuthGuard,
    RolesGuard,
    SessionIssuer,
    SecondFactorGate,
  ],
  exports: [
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
    private readonly lockout: LoginLockoutService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.erasure.register('sessions', (userId) => this.refreshTokens.deleteAllFor(userId));
    // Failed-login counters are keyed by email, so the email would outlive the account.
    this.erasure.register('login-attempts', async (userId) => {
      const user = await this.users.findById(userId);
      if (user) await this.lockout.forgetAccount(user.email);
    });
  }
}
