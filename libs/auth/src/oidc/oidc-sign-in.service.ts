import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import type { AuthenticatedUser, ClientContext } from '@strongroom/common';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '@strongroom/config';
import { PasswordHasher, type UserDocument, UsersService } from '@strongroom/users';
import type { TokenPair } from '../dto/auth.dto';
import { lockedOut } from '../lockout/locked-out';
import { LoginLockoutService } from '../lockout/login-lockout.service';
import { SessionIssuer } from '../tokens/session-issuer.service';
import { grantsAccess, roleFromClaims } from './oidc-claims';
import type { OidcAttemptMode } from './oidc-attempt.schema';
import { OidcAttemptStore } from './oidc-attempt.store';
import { OidcGroupSync } from './oidc-group-sync';
import { OidcIdentityService } from './oidc-identity.service';
import { OidcProviderClient, type VerifiedIdentity } from './oidc-provider.client';
import { SsoFailure } from './sso-failure';

export type SsoOutcome = { mode: 'login'; tokens: TokenPair } | { mode: 'link' };

/**
 * Single sign-on from start to end: a started attempt stored for any instance to finish, then the
 * verified identity turned into one of our accounts. Accounts are found by (issuer, subject) only;
 * an address that already has an account is never linked by email. The provider is trusted for
 * the second factor: an SSO sign-in does not ask for ours.
 */
@Injectable()
export class OidcSignInService {
  private readonly settings?: OidcConfig;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly provider: OidcProviderClient,
    private readonly attempts: OidcAttemptStore,
    private readonly identities: OidcIdentityService,
    private readonly users: UsersService,
    private readonly sessions: SessionIssuer,
    private readonly events: SecurityEventsService,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LoginLockoutService,
    private readonly groupSync: OidcGroupSync,
  ) {
    this.settings = config.oidc;
  }

  /**
   * A link starts only after the caller's password, which counts toward the sign-in lockout like
   * any password: a stolen access token alone can neither add a way in nor guess the password.
   */
  async startLink(
    caller: AuthenticatedUser,
    password: string,
    client: ClientContext,
  ): Promise<{ url: string; handle: string }> {
    const reservation = await this.lockout.reserve({ email: caller.email, ip: client.ip });
    if (reservation.lockout) throw lockedOut(reservation.lockout);
    const user = await this.users.getById(caller.id);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      this.lockout.failed(reservation.attempt);
      await this.events.record({
        type: 'sso_login_failed',
        client,
        actorId: caller.id,
        subjectId: caller.id,
        details: { mode: 'link', reason: 'wrong_password' },
      });
      throw new BadRequestException('password is not your current password');
    }
    // A right password only gives its own slots back; the link is not a completed sign-in.
    await this.lockout.release(reservation.attempt);
    return this.start('link', caller.id);
  }

  /** The provider's authorization URL, and the handle that binds the attempt to this browser. */
  async start(mode: OidcAttemptMode, userId?: string): Promise<{ url: string; handle: string }> {
    const request = await this.provider.authorizationRequest();
    const handle = await this.attempts.save({
      state: request.state,
      nonce: request.nonce,
      codeVerifier: request.codeVerifier,
      mode,
      userId,
    });
    return { url: request.url, handle };
  }

  async finish(
    handle: string | undefined,
    query: { raw: string; state: unknown },
    client: ClientContext,
  ): Promise<SsoOutcome> {
    let mode: OidcAttemptMode = 'login';
    let subjectId: string | undefined;
    try {
      if (!this.settings) throw new SsoFailure('not_configured');
      const attempt = handle ? await this.attempts.take(handle) : undefined;
      if (!attempt) throw new SsoFailure('session_expired');
      mode = attempt.mode;
      subjectId = attempt.userId;
      // Checked before the code is spent, so an answer meant for another sign-in is not used.
      if (query.state !== attempt.state) throw new SsoFailure('invalid_state');
      const identity = await this.provider.verifyCallback(query.raw, attempt);
      if (attempt.mode === 'link') {
        await this.link(attempt.userId!, identity, client);
        return { mode: 'link' };
      }
      const user = await this.signIn(identity, this.settings, client, (id) => (subjectId = id));
      return { mode: 'login', tokens: await this.sessions.issue(user, client) };
    } catch (error) {
      if (error instanceof SsoFailure) {
        await this.events.record({
          type: 'sso_login_failed',
          client,
          subjectId,
          details: { mode, reason: error.code },
        });
      }
      throw error;
    }
  }

  private async signIn(
    identity: VerifiedIdentity,
    settings: OidcConfig,
    client: ClientContext,
    found: (userId: string) => void,
  ): Promise<UserDocument> {
    if (!grantsAccess(identity.claims, settings)) {
      throw new SsoFailure('access_denied', `${settings.accessClaim} holds no granting value`);
    }
    const role = roleFromClaims(identity.claims, settings);
    const linked = await this.identities.find(identity.issuer, identity.subject);
    let user = linked ? await this.users.findById(linked.userId) : null;
    if (linked && !user) {
      // The account was deleted but the link survived (erasure interrupted): start afresh.
      await this.identities.forget(linked);
    }
    const provisioned = !user;
    if (!user) user = await this.provision(identity, settings, role, client);
    found(user.id as string);
    if (user.disabled) throw new SsoFailure('account_disabled');
    if (user.role !== role) user = await this.applyRole(user, role, client);
    await this.groupSync.apply(user, identity.claims, settings, client);

    if (linked && !provisioned) await this.identities.recordSignIn(linked);
    await this.users.recordLogin(user.id as string);
    await this.events.record({
      type: 'sso_login_succeeded',
      client,
      actorId: user.id as string,
      subjectId: user.id as string,
      details: { issuer: identity.issuer, role: user.role, provisioned },
    });
    return user;
  }

  private async provision(
    identity: VerifiedIdentity,
    settings: OidcConfig,
    role: UserDocument['role'],
    client: ClientContext,
  ): Promise<UserDocument> {
    if (!settings.jitProvisioning) throw new SsoFailure('not_provisioned');
    const { email, email_verified: verified, name } = identity.claims;
    // Providers that do not send email_verified vouch for the address by sending it at all.
    if (typeof email !== 'string' || !email.includes('@') || verified === false) {
      throw new SsoFailure('email_missing');
    }
    let user: UserDocument;
    try {
      user = await this.users.createFederated({
        email,
        role,
        displayName: typeof name === 'string' ? name.slice(0, 100) : undefined,
      });
    } catch (error) {
      if (error instanceof ConflictException) throw new SsoFailure('email_in_use');
      if (error instanceof BadRequestException) throw new SsoFailure('email_missing');
      throw error;
    }
    await this.users.recordCreation(user, client);
    try {
      await this.identities.link({
        issuer: identity.issuer,
        subject: identity.subject,
        userId: user.id as string,
        email: user.email,
      });
    } catch (error) {
      // Another sign-in of the same identity linked first: this account would be a stray.
      await this.users.delete(user.id as string, this.self(user), client);
      throw error;
    }
    return user;
  }

  /** Roles follow the provider at every sign-in; a change ends the user's other sessions. */
  private async applyRole(
    user: UserDocument,
    role: UserDocument['role'],
    client: ClientContext,
  ): Promise<UserDocument> {
    try {
      return await this.users.update(user.id as string, { role }, this.self(user), client);
    } catch (error) {
      if (error instanceof ConflictException) throw new SsoFailure('last_admin');
      throw error;
    }
  }

  private async link(userId: string, identity: VerifiedIdentity, client: ClientContext) {
    const user = await this.users.findById(userId);
    if (!user || user.disabled) throw new SsoFailure('account_disabled');
    const existing = await this.identities.find(identity.issuer, identity.subject);
    if (existing && existing.userId !== userId) throw new SsoFailure('identity_in_use');
    if (!existing) {
      const email = identity.claims.email;
      await this.identities.link({
        issuer: identity.issuer,
        subject: identity.subject,
        userId,
        email: typeof email === 'string' ? email : undefined,
      });
    }
    await this.events.record({
      type: 'sso_identity_linked',
      client,
      actorId: userId,
      subjectId: userId,
      details: { issuer: identity.issuer },
    });
  }

  private self(user: UserDocument) {
    return { id: user.id as string, email: user.email, role: user.role };
  }
}
