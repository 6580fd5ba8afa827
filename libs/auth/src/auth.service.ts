import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import {
  emailDomain,
  type NewUser,
  normalizeEmail,
  PasswordHasher,
  type UserDocument,
  UsersService,
} from '@strongroom/users';
import type { TokenPair } from './dto/auth.dto';
import { lockedOut } from './lockout/locked-out';
import { LoginLockoutService } from './lockout/login-lockout.service';
import type { MfaChallenge } from './mfa/dto/mfa.dto';
import { SecondFactorGate } from './mfa/second-factor.gate';
import { SessionService } from './sessions/session.service';
import { RefreshTokenService } from './tokens/refresh-token.service';
import { SessionIssuer } from './tokens/session-issuer.service';

const INVALID_LOGIN = 'Invalid email or password';
const INVALID_REFRESH = 'Invalid or expired refresh token; sign in again';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly refreshTokens: RefreshTokenService,
    private readonly lockout: LoginLockoutService,
    private readonly events: SecurityEventsService,
    private readonly secondFactor: SecondFactorGate,
    private readonly sessions: SessionIssuer,
    private readonly sessionControl: SessionService,
  ) {}

  async register(input: Omit<NewUser, 'role'>, client: ClientContext): Promise<UserDocument> {
    const { registration, allowedEmailDomains } = this.config.auth;
    if (this.config.oidc?.only) {
      throw new ForbiddenException(
        `Accounts come from single sign-on: use "Sign in with ${this.config.oidc.displayName}"`,
      );
    }
    if (registration === 'closed') {
      throw new ForbiddenException('Registration is closed; ask an administrator for an account');
    }
    const email = normalizeEmail(input.email);
    if (allowedEmailDomains.length > 0 && !allowedEmailDomains.includes(emailDomain(email))) {
      throw new BadRequestException(
        `Registration is open to addresses at ${allowedEmailDomains.join(', ')} only`,
      );
    }
    const user = await this.users.create({ ...input, email, role: 'user' });
    await this.users.recordCreation(user, client);
    return user;
  }

  /**
   * Same answer and the same work (one argon2 verification) for an unknown email, a wrong
   * password and a disabled account, so none of them can be told apart. The attempt is counted
   * before the password is checked, so a concurrent burst cannot outrun the lockout.
   */
  async login(
    emailInput: string,
    password: string,
    client: ClientContext,
  ): Promise<TokenPair | MfaChallenge> {
    const subject = { email: normalizeEmail(emailInput), ip: client.ip };
    this.assertPasswordSignInAllowed(subject.email);
    const reservation = await this.lockout.reserve(subject);
    if (reservation.lockout) throw lockedOut(reservation.lockout);
    const { attempt } = reservation;

    const user = await this.users.findByEmail(subject.email);
    const passwordMatches = await this.hasher.verify(user?.passwordHash, password);
    if (!user || !passwordMatches || user.disabled) {
      const triggered = this.lockout.failed(attempt);
      await this.events.record({
        type: 'login_failed',
        client,
        subjectId: user?.id as string | undefined,
        details: { email: subject.email },
      });
      if (triggered) {
        await this.events.record({
          type: 'account_locked',
          client,
          subjectId: user?.id as string | undefined,
          details: {
            email: subject.email,
            scope: triggered.scope,
            seconds: triggered.retryAfterSeconds,
          },
        });
      }
      throw new UnauthorizedException(INVALID_LOGIN);
    }

    const challenge = await this.secondFactor.challengeFor(user);
    if (challenge) {
      // Only this attempt's slots go back: a right password must not clear what wrong codes hold.
      await this.lockout.release(attempt);
      return challenge;
    }

    await this.lockout.succeeded(attempt);
    await this.users.recordLogin(user.id as string);
    await this.events.record({
      type: 'login_succeeded',
      client,
      actorId: user.id as string,
      subjectId: user.id as string,
    });
    return this.sessions.issue(user, client);
  }

  /**
   * With OIDC_ONLY, only the break-glass addresses may use a password. The same answer whatever
   * the address, before any lookup, so it tells nothing about which accounts exist.
   */
  private assertPasswordSignInAllowed(email: string): void {
    const oidc = this.config.oidc;
    if (!oidc?.only) return;
    if (oidc.breakGlassEmails.some((allowed) => normalizeEmail(allowed) === email)) return;
    throw new ForbiddenException(
      `Password sign-in is turned off: use "Sign in with ${oidc.displayName}"`,
    );
  }

  async refresh(refreshToken: string, client: ClientContext): Promise<TokenPair> {
    const result = await this.refreshTokens.consume(refreshToken);
    if (result.outcome === 'reused') {
      await this.sessionControl.end(result.token.familyId);
      await this.events.record({
        type: 'refresh_token_reused',
        client,
        subjectId: result.token.userId,
        details: { familyId: result.token.familyId },
      });
    }
    if (result.outcome !== 'rotated') throw new UnauthorizedException(INVALID_REFRESH);

    const user = await this.users.findById(result.token.userId);
    const pair =
      user && !user.disabled && user.tokenVersion === result.token.tokenVersion
        ? await this.sessions.rotate(user, result.token.familyId, client)
        : undefined;
    if (!pair) {
      await this.sessionControl.end(result.token.familyId);
      throw new UnauthorizedException(INVALID_REFRESH);
    }
    return pair;
  }

  /**
   * Ends the session the refresh token belongs to, its access tokens included; unknown tokens are
   * ignored (idempotent).
   */
  async logout(refreshToken: string): Promise<void> {
    const sessionId = await this.refreshTokens.familyOf(refreshToken);
    if (sessionId) await this.sessionControl.end(sessionId);
  }
}
