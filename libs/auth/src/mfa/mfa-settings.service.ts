import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { SecurityEventsService } from '@strongroom/audit';
import type { AuthenticatedUser, ClientContext } from '@strongroom/common';
import { PasswordHasher, UsersService } from '@strongroom/users';
import { type LoginSubject, LoginLockoutService } from '../lockout/login-lockout.service';
import { recordWrongSecondFactor, reserveSecondFactorAttempt } from './mfa-lockout';
import {
  type TotpEnrolmentSecret,
  TotpFactorService,
  type TotpFactorState,
} from './totp-factor.service';

/** A signed-in user managing their own TOTP factor. */
@Injectable()
export class MfaSettingsService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly factors: TotpFactorService,
    private readonly lockout: LoginLockoutService,
    private readonly events: SecurityEventsService,
  ) {}

  state(caller: AuthenticatedUser): Promise<TotpFactorState> {
    return this.factors.state(caller.id);
  }

  async enrol(caller: AuthenticatedUser, client: ClientContext): Promise<TotpEnrolmentSecret> {
    const enrolment = await this.factors.enrol(caller.id, caller.email);
    await this.record('mfa_enrolled', caller, client);
    return enrolment;
  }

  async confirm(caller: AuthenticatedUser, code: string, client: ClientContext): Promise<string[]> {
    const recoveryCodes = await this.factors.confirm(caller.id, code);
    await this.record('mfa_confirmed', caller, client);
    return recoveryCodes;
  }

  /**
   * Removal needs the password and a code, so a stolen access token alone cannot strip the factor;
   * wrong ones count toward the sign-in lockout, since they are guesses at the same secrets.
   */
  async disable(
    caller: AuthenticatedUser,
    password: string,
    code: string,
    client: ClientContext,
  ): Promise<void> {
    if (!(await this.factors.hasConfirmed(caller.id))) {
      throw new NotFoundException('No TOTP factor is set up for this account');
    }
    const subject: LoginSubject = { email: caller.email, ip: client.ip };
    const attempt = await reserveSecondFactorAttempt(this.lockout, subject);
    const user = await this.users.getById(caller.id);
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      await recordWrongSecondFactor(this.lockout, this.events, {
        attempt,
        userId: caller.id,
        client,
        actorId: caller.id,
        details: { during: 'disable', wrong: 'password' },
      });
      throw new BadRequestException('password is not your current password');
    }
    const accepted = await this.factors.accept(caller.id, code);
    if (!accepted) {
      await recordWrongSecondFactor(this.lockout, this.events, {
        attempt,
        userId: caller.id,
        client,
        actorId: caller.id,
        details: { during: 'disable', wrong: 'code' },
      });
      throw new BadRequestException(
        'code is not a current authenticator code or an unused recovery code',
      );
    }
    await this.lockout.succeeded(attempt);
    await this.factors.remove(caller.id);
    await this.record('mfa_disabled', caller, client, { confirmedWith: accepted.method });
  }

  private record(
    type: 'mfa_enrolled' | 'mfa_confirmed' | 'mfa_disabled',
    caller: AuthenticatedUser,
    client: ClientContext,
    details: Record<string, string> = {},
  ): Promise<void> {
    return this.events.record({
      type,
      client,
      actorId: caller.id,
      subjectId: caller.id,
      details: { method: 'totp', ...details },
    });
  }
}
