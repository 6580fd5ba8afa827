import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import { type UserDocument, UsersService } from '@strongroom/users';
import type { TokenPair } from '../dto/auth.dto';
import { lockedOut } from '../lockout/locked-out';
import { LoginLockoutService } from '../lockout/login-lockout.service';
import { recordWrongSecondFactor } from '../mfa/mfa-lockout';
import { type FactorRefusal, MfaSignInService } from '../mfa/mfa-sign-in.service';
import { SessionIssuer } from '../tokens/session-issuer.service';
import type { PasskeyCeremonyOptions } from './dto/passkey.dto';
import { CHALLENGE_SPENT } from './passkey-challenge';
import { PasskeyCredentials, type PasskeyRecord } from './passkey-credentials.service';
import { counterVerdict } from './signature-counter';
import { WebAuthnChallengeStore } from './webauthn-challenge.store';
import { CeremonyRefused, WebAuthnRelyingParty } from './webauthn-relying-party';

const UNKNOWN_PASSKEY =
  'This passkey is not registered for an account that can sign in here; sign in with your password';
const NOT_THIS_ACCOUNTS = 'This passkey is not registered for this account';
const COUNTER_WENT_BACK =
  "This passkey's signature counter did not advance, so the passkey may have been copied; the sign-in was refused and recorded";

/** The credential id a client's response names, if it names one in the form WebAuthn gives it. */
function credentialIdOf(credential: Record<string, unknown>): string | undefined {
  const { id } = credential;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,1366}$/.test(id) ? id : undefined;
}

function userHandleOf(credential: Record<string, unknown>): unknown {
  const response = credential.response;
  return typeof response === 'object' && response !== null
    ? (response as Record<string, unknown>).userHandle
    : undefined;
}

/**
 * Signing in with a passkey: password-less (a discoverable passkey with user verification is a
 * whole sign-in: something held and something known or been), and as the second step after a
 * password. Every attempt holds a lockout slot before any check, as passwords and codes do.
 */
@Injectable()
export class PasskeySignInService {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: PasskeyCredentials,
    private readonly challenges: WebAuthnChallengeStore,
    private readonly relyingParty: WebAuthnRelyingParty,
    private readonly lockout: LoginLockoutService,
    private readonly sessions: SessionIssuer,
    private readonly mfa: MfaSignInService,
    private readonly events: SecurityEventsService,
  ) {}

  /** Options for any discoverable passkey of this site: the browser lets the person pick one. */
  async signInOptions(): Promise<PasskeyCeremonyOptions> {
    const options = await this.relyingParty.authenticationOptions([], 'required');
    return { ...(await this.challenges.open('sign-in', options.challenge)), options };
  }

  async signIn(
    challengeId: string,
    credential: Record<string, unknown>,
    client: ClientContext,
  ): Promise<TokenPair> {
    const credentialId = credentialIdOf(credential);
    const passkey = credentialId && (await this.credentials.findByCredentialId(credentialId));
    const owner = passkey ? await this.users.findById(passkey.userId) : null;
    const user = owner && !owner.disabled ? owner : undefined;

    const reservation = await this.lockout.reserve({ email: user?.email, ip: client.ip });
    if (reservation.lockout) throw lockedOut(reservation.lockout);
    const { attempt } = reservation;

    const challenge = await this.challenges.claim(challengeId, 'sign-in');
    let outcome: FactorRefusal | undefined;
    if (challenge === undefined) outcome = { refused: CHALLENGE_SPENT };
    else if (!passkey || !user) outcome = { refused: UNKNOWN_PASSKEY };
    else outcome = await this.checkAssertion(user, passkey, challenge, credential, true, client);

    if (outcome) {
      await recordWrongSecondFactor(this.lockout, this.events, {
        attempt,
        userId: user?.id as string | undefined,
        client,
        event: 'login_failed',
        details: { method: 'passkey', ...outcome.details },
      });
      throw new UnauthorizedException(outcome.refused);
    }
    const signedIn = user as UserDocument;
    await this.lockout.succeeded(attempt);
    await this.users.recordLogin(signedIn.id as string);
    await this.events.record({
      type: 'login_succeeded',
      client,
      actorId: signedIn.id as string,
      subjectId: signedIn.id as string,
      details: { method: 'passkey' },
    });
    return this.sessions.issue(signedIn, client);
  }

  /** Options for the second step: only the passkeys of the account the mfaToken is for. */
  async secondFactorOptions(mfaToken: string): Promise<PasskeyCeremonyOptions> {
    const user = await this.mfa.pendingUser(mfaToken);
    const passkeys = await this.credentials.listFor(user.id as string);
    if (passkeys.length === 0) {
      throw new NotFoundException(
        'No passkey is registered for this account; use one of the other methods',
      );
    }
    const options = await this.relyingParty.authenticationOptions(passkeys, 'preferred');
    const opened = await this.challenges.open(
      'second-factor',
      options.challenge,
      user.id as string,
    );
    return { ...opened, options };
  }

  secondFactor(
    mfaToken: string,
    challengeId: string,
    credential: Record<string, unknown>,
    client: ClientContext,
  ): Promise<TokenPair> {
    return this.mfa.complete(
      mfaToken,
      async (user) => {
        const userId = user.id as string;
        const challenge = await this.challenges.claim(challengeId, 'second-factor', userId);
        if (challenge === undefined) return { refused: CHALLENGE_SPENT, details: PASSKEY };
        const credentialId = credentialIdOf(credential);
        const passkey = credentialId && (await this.credentials.findByCredentialId(credentialId));
        if (!passkey || passkey.userId !== userId) {
          return { refused: NOT_THIS_ACCOUNTS, details: PASSKEY };
        }
        const refusal = await this.checkAssertion(
          user,
          passkey,
          challenge,
          credential,
          false,
          client,
        );
        return refusal ? { ...refusal, details: { ...PASSKEY, ...refusal.details } } : PASSKEY;
      },
      client,
    );
  }

  /**
   * The assertion's signature, challenge, origin and RP id, the user handle where the
   * authenticator gives one, and the counter; undefined when all hold.
   */
  private async checkAssertion(
    user: UserDocument,
    passkey: PasskeyRecord,
    challenge: string,
    credential: Record<string, unknown>,
    requireUserVerification: boolean,
    client: ClientContext,
  ): Promise<FactorRefusal | undefined> {
    const userHandle = userHandleOf(credential);
    if (
      userHandle !== undefined &&
      userHandle !== null &&
      userHandle !== Buffer.from(passkey.userId, 'utf8').toString('base64url')
    ) {
      return { refused: UNKNOWN_PASSKEY, details: { wrong: 'user_handle' } };
    }
    let assertion;
    try {
      assertion = await this.relyingParty.verifyAssertion(
        credential,
        challenge,
        passkey,
        requireUserVerification,
      );
    } catch (error) {
      if (!(error instanceof CeremonyRefused)) throw error;
      return {
        refused: `The passkey was refused: ${error.message}`,
        details: { wrong: 'assertion' },
      };
    }
    const advanced =
      counterVerdict(passkey.counter, assertion.counter) !== 'regressed' &&
      (await this.credentials.recordUse(passkey.id, assertion.counter));
    if (!advanced) {
      await this.events.record({
        type: 'passkey_counter_regressed',
        client,
        subjectId: user.id as string,
        details: {
          passkeyId: passkey.id,
          storedCounter: passkey.counter,
          receivedCounter: assertion.counter,
        },
      });
      return { refused: COUNTER_WENT_BACK, details: { wrong: 'counter' } };
    }
    return undefined;
  }
}

const PASSKEY = { method: 'passkey' } as const;
