import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { type UserDocument, UsersService } from '@strongroom/users';
import type { TokenPair } from '../dto/auth.dto';
import { type LoginSubject, LoginLockoutService } from '../lockout/login-lockout.service';
import { SessionIssuer } from '../tokens/session-issuer.service';
import type { EnrolmentCompleted, MfaChallenge } from './dto/mfa.dto';
import { MfaCodeLedger } from './mfa-code-ledger.service';
import { recordWrongSecondFactor, reserveSecondFactorAttempt } from './mfa-lockout';
import { type MfaTokenPurpose, MfaTokenService } from './mfa-token.service';
import { SecondFactorGate } from './second-factor.gate';
import {
  type AcceptedCode,
  type TotpEnrolmentSecret,
  TotpFactorService,
} from './totp-factor.service';

/** A second factor that let its holder in: a code, or a factor of another module (passkey). */
export type AcceptedFactor = AcceptedCode | { method: 'passkey'; recoveryCodesLeft?: never };

/** Why a factor was refused: the 401's message, and what the audit event should say. */
export interface FactorRefusal {
  refused: string;
  details?: Record<string, string>;
}

export type FactorCheck = (user: UserDocument) => Promise<AcceptedFactor | FactorRefusal>;

const WRONG_CODE = 'Invalid or already used code';
const TOKEN_SPENT = 'This sign-in step was already completed; sign in again with your password';
const SESSION_ENDED = 'The sign-in step is no longer valid; sign in again with your password';

type MfaMethod = NonNullable<MfaChallenge['methods']>[number];
const CODE_METHODS: MfaMethod[] = ['totp', 'recovery'];

/**
 * The second step of password sign-in: the challenge login answers with, the code that completes
 * it, and the forced first enrolment for roles in MFA_REQUIRED_ROLES. Wrong codes count against
 * the same lockout as wrong passwords, and a correct password does not reset that count.
 */
@Injectable()
export class MfaSignInService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly factors: TotpFactorService,
    private readonly tokens: MfaTokenService,
    private readonly ledger: MfaCodeLedger,
    private readonly lockout: LoginLockoutService,
    private readonly sessions: SessionIssuer,
    private readonly events: SecurityEventsService,
    private readonly gate: SecondFactorGate,
  ) {}

  /** Called by login once the password is right: a challenge, or undefined to sign in now. */
  async challengeFor(user: UserDocument): Promise<MfaChallenge | undefined> {
    const expiresIn = this.tokens.lifetimeSeconds;
    const methods: MfaMethod[] = [
      ...((await this.factors.hasConfirmed(user.id as string)) ? CODE_METHODS : []),
      ...(await this.gate.otherFactorsOf(user.id as string)),
    ];
    if (methods.length > 0) {
      return {
        mfaRequired: true,
        mfaToken: await this.tokens.issue(user, 'verify'),
        methods,
        expiresIn,
      };
    }
    if (this.config.mfa.requiredRoles.includes(user.role)) {
      return {
        mfaEnrolmentRequired: true,
        mfaToken: await this.tokens.issue(user, 'enrol'),
        expiresIn,
      };
    }
    return undefined;
  }

  verify(mfaToken: string, code: string, client: ClientContext): Promise<TokenPair> {
    return this.complete(
      mfaToken,
      async (user) =>
        (await this.factors.accept(user.id as string, code)) ?? { refused: WRONG_CODE },
      client,
    );
  }

  /** The account a second-step mfaToken was issued to, while that sign-in can still complete. */
  async pendingUser(mfaToken: string): Promise<UserDocument> {
    return (await this.holder(mfaToken, 'verify')).user;
  }

  /**
   * The second step with any factor: the attempt takes its lockout slots before `check` looks at
   * the factor, a refusal keeps them, and the mfaToken is spent only by a success.
   */
  async complete(mfaToken: string, check: FactorCheck, client: ClientContext): Promise<TokenPair> {
    const { user, jti } = await this.holder(mfaToken, 'verify');
    const subject: LoginSubject = { email: user.email, ip: client.ip };
    const attempt = await reserveSecondFactorAttempt(this.lockout, subject);

    const accepted = await check(user);
    if ('refused' in accepted) {
      await recordWrongSecondFactor(this.lockout, this.events, {
        attempt,
        userId: user.id as string,
        client,
        details: accepted.details,
      });
      throw new UnauthorizedException(accepted.refused);
    }
    await this.spendToken(user, jti);
    await this.lockout.succeeded(attempt);
    await this.recordAccepted(user, accepted, client);
    return this.signIn(user, accepted.method, client);
  }

  /** Enrolment for a holder of an enrolment token (a required role signing in without a factor). */
  async enrol(mfaToken: string, client: ClientContext): Promise<TotpEnrolmentSecret> {
    const { user } = await this.holder(mfaToken, 'enrol');
    const enrolment = await this.factors.enrol(user.id as string, user.email);
    await this.events.record({
      type: 'mfa_enrolled',
      client,
      actorId: user.id as string,
      subjectId: user.id as string,
      details: { method: 'totp', duringSignIn: true },
    });
    return enrolment;
  }

  async confirmEnrolment(
    mfaToken: string,
    code: string,
    client: ClientContext,
  ): Promise<EnrolmentCompleted> {
    const { user, jti } = await this.holder(mfaToken, 'enrol');
    const recoveryCodes = await this.factors.confirm(user.id as string, code);
    await this.events.record({
      type: 'mfa_confirmed',
      client,
      actorId: user.id as string,
      subjectId: user.id as string,
      details: { method: 'totp', duringSignIn: true },
    });
    await this.spendToken(user, jti);
    return { ...(await this.signIn(user, 'totp', client)), recoveryCodes };
  }

  private async holder(
    mfaToken: string,
    purpose: MfaTokenPurpose,
  ): Promise<{ user: UserDocument; jti: string }> {
    const claims = await this.tokens.verify(mfaToken, purpose);
    const user = await this.users.findById(claims.sub);
    if (!user || user.disabled || user.tokenVersion !== claims.ver) {
      throw new UnauthorizedException(SESSION_ENDED);
    }
    return { user, jti: claims.jti };
  }

  private async spendToken(user: UserDocument, jti: string): Promise<void> {
    if (!(await this.ledger.spend(user.id as string, `token:${jti}`))) {
      throw new UnauthorizedException(TOKEN_SPENT);
    }
  }

  private async recordAccepted(
    user: UserDocument,
    accepted: AcceptedFactor,
    client: ClientContext,
  ): Promise<void> {
    const ids = { client, actorId: user.id as string, subjectId: user.id as string };
    await this.events.record({
      type: 'mfa_verify_succeeded',
      ...ids,
      details: { method: accepted.method },
    });
    if (accepted.method === 'recovery') {
      await this.events.record({
        type: 'mfa_recovery_code_used',
        ...ids,
        details: { remaining: accepted.recoveryCodesLeft },
      });
    }
  }

  private async signIn(
    user: UserDocument,
    method: AcceptedFactor['method'],
    client: ClientContext,
  ): Promise<TokenPair> {
    await this.users.recordLogin(user.id as string);
    await this.events.record({
      type: 'login_succeeded',
      client,
      actorId: user.id as string,
      subjectId: user.id as string,
      details: { secondFactor: method },
    });
    return this.sessions.issue(user, client);
  }
}
