import { BadRequestException, Injectable } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import type { AuthenticatedUser, ClientContext } from '@strongroom/common';
import { PasswordHasher, UsersService } from '@strongroom/users';
import { LoginLockoutService } from '../lockout/login-lockout.service';
import { recordWrongSecondFactor, reserveSecondFactorAttempt } from '../mfa/mfa-lockout';
import type { PasskeyCeremonyOptions, PasskeyView } from './dto/passkey.dto';
import { claimOrRefuse } from './passkey-challenge';
import { PasskeyCredentials, type PasskeyRecord } from './passkey-credentials.service';
import { WebAuthnChallengeStore } from './webauthn-challenge.store';
import { CeremonyRefused, WebAuthnRelyingParty } from './webauthn-relying-party';

export const MAX_PASSKEYS = 20;

export const toView = (passkey: PasskeyRecord): PasskeyView => ({
  id: passkey.id,
  name: passkey.name,
  transports: passkey.transports,
  deviceType: passkey.deviceType,
  backedUp: passkey.backedUp,
  createdAt: passkey.createdAt,
  lastUsedAt: passkey.lastUsedAt,
});

/** A signed-in user registering, naming and removing their own passkeys. */
@Injectable()
export class PasskeySettingsService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly credentials: PasskeyCredentials,
    private readonly challenges: WebAuthnChallengeStore,
    private readonly relyingParty: WebAuthnRelyingParty,
    private readonly lockout: LoginLockoutService,
    private readonly events: SecurityEventsService,
  ) {}

  async list(caller: AuthenticatedUser): Promise<PasskeyView[]> {
    return (await this.credentials.listFor(caller.id)).map(toView);
  }

  async registrationOptions(caller: AuthenticatedUser): Promise<PasskeyCeremonyOptions> {
    const existing = await this.credentials.listFor(caller.id);
    if (existing.length >= MAX_PASSKEYS) throw tooMany();
    const user = await this.users.getById(caller.id);
    const options = await this.relyingParty.registrationOptions(
      { id: caller.id, email: user.email, displayName: user.displayName },
      existing,
    );
    const opened = await this.challenges.open('registration', options.challenge, caller.id);
    return { ...opened, options };
  }

  async register(
    caller: AuthenticatedUser,
    challengeId: string,
    name: string,
    response: unknown,
    client: ClientContext,
  ): Promise<PasskeyView> {
    const challenge = await claimOrRefuse(
      this.challenges,
      challengeId,
      'registration',
      caller.id,
      (message) => new BadRequestException(message),
    );
    let credential;
    try {
      credential = await this.relyingParty.verifyRegistration(response, challenge);
    } catch (error) {
      if (!(error instanceof CeremonyRefused)) throw error;
      throw new BadRequestException(`credential was refused: ${error.message}`);
    }
    // Counted again at the end, since ceremonies opened side by side all passed the first count;
    // the limit only bounds storage per account, so finishes racing past it by one are harmless.
    if ((await this.credentials.listFor(caller.id)).length >= MAX_PASSKEYS) throw tooMany();
    const passkey = await this.credentials.add(caller.id, name.trim(), credential);
    await this.record('passkey_registered', caller, client, passkey);
    return toView(passkey);
  }

  async rename(
    caller: AuthenticatedUser,
    id: string,
    name: string,
    client: ClientContext,
  ): Promise<PasskeyView> {
    const passkey = await this.credentials.rename(caller.id, id, name.trim());
    await this.record('passkey_renamed', caller, client, passkey);
    return toView(passkey);
  }

  /**
   * Removal needs the password, as removing a TOTP factor does, so a stolen access token alone
   * cannot strip a factor (or a way in); a wrong one counts toward the sign-in lockout.
   */
  async remove(
    caller: AuthenticatedUser,
    id: string,
    password: string,
    client: ClientContext,
  ): Promise<void> {
    const passkey = await this.credentials.get(caller.id, id);
    const attempt = await reserveSecondFactorAttempt(this.lockout, {
      email: caller.email,
      ip: client.ip,
    });
    const user = await this.users.getById(caller.id);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      await recordWrongSecondFactor(this.lockout, this.events, {
        attempt,
        userId: caller.id,
        client,
        actorId: caller.id,
        details: { during: 'passkey_remove', wrong: 'password' },
      });
      throw new BadRequestException('password is not your current password');
    }
    await this.lockout.succeeded(attempt);
    await this.credentials.remove(caller.id, passkey.id);
    await this.record('passkey_removed', caller, client, passkey);
  }

  private record(
    type: 'passkey_registered' | 'passkey_renamed' | 'passkey_removed',
    caller: AuthenticatedUser,
    client: ClientContext,
    passkey: PasskeyRecord,
  ): Promise<void> {
    return this.events.record({
      type,
      client,
      actorId: caller.id,
      subjectId: caller.id,
      details: { passkeyId: passkey.id, name: passkey.name },
    });
  }
}

const tooMany = () =>
  new BadRequestException(
    `An account can have at most ${MAX_PASSKEYS} passkeys; remove one you no longer use first`,
  );
