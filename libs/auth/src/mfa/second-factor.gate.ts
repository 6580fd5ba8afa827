import { Injectable } from '@nestjs/common';
import type { UserDocument } from '@strongroom/users';
import type { MfaChallenge } from './dto/mfa.dto';

export type SecondFactorCheck = (user: UserDocument) => Promise<MfaChallenge | undefined>;

/**
 * Where password sign-in asks whether a second step is due. The MFA module plugs its check in at
 * start-up (as erasure steps are registered), so auth does not depend on it; with nothing plugged
 * in, sign-in fails closed rather than skip a factor.
 */
@Injectable()
export class SecondFactorGate {
  private check?: SecondFactorCheck;

  use(check: SecondFactorCheck): void {
    this.check = check;
  }

  challengeFor(user: UserDocument): Promise<MfaChallenge | undefined> {
    if (!this.check) throw new Error('no second-factor check is registered (MfaModule missing)');
    return this.check(user);
  }
}
