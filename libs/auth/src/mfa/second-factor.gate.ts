import { Injectable } from '@nestjs/common';
import type { UserDocument } from '@strongroom/users';
import type { MfaChallenge } from './dto/mfa.dto';

export type SecondFactorCheck = (user: UserDocument) => Promise<MfaChallenge | undefined>;

/** A second factor held outside the MFA module (passkeys): the sign-in method it adds. */
export type FactorMethod = 'passkey';
export type FactorProbe = (userId: string) => Promise<boolean>;

/**
 * Where password sign-in asks whether a second step is due. The MFA module plugs its check in at
 * start-up (as erasure steps are registered), so auth does not depend on it; with nothing plugged
 * in, sign-in fails closed rather than skip a factor.
 */
@Injectable()
export class SecondFactorGate {
  private check?: SecondFactorCheck;
  private readonly factors = new Map<FactorMethod, FactorProbe>();

  use(check: SecondFactorCheck): void {
    this.check = check;
  }

  /** Another module's factor, which the check offers as a method when the user has it. */
  addFactor(method: FactorMethod, probe: FactorProbe): void {
    this.factors.set(method, probe);
  }

  async otherFactorsOf(userId: string): Promise<FactorMethod[]> {
    const held: FactorMethod[] = [];
    for (const [method, probe] of this.factors) if (await probe(userId)) held.push(method);
    return held;
  }

  challengeFor(user: UserDocument): Promise<MfaChallenge | undefined> {
    if (!this.check) throw new Error('no second-factor check is registered (MfaModule missing)');
    return this.check(user);
  }
}
