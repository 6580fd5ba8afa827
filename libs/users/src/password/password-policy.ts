import { Injectable } from '@nestjs/common';
import { PasswordStrengthEstimator } from './password-strength-estimator';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn's "safely unguessable" level: resists an offline attack on a slow hash. */
const MIN_SCORE = 3;

/** Why a password is refused, in words the person can act on; empty when it is acceptable. */
@Injectable()
export class PasswordPolicy {
  constructor(private readonly strength: PasswordStrengthEstimator) {}

  async problems(
    password: string,
    context: { email: string; displayName?: string },
  ): Promise<string[]> {
    const length = [...password].length;
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
      return [`password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`];
    }
    const localPart = context.email.split('@')[0].toLowerCase();
    const lowered = password.toLowerCase();
    if (localPart.length >= 3 && lowered.includes(localPart)) {
      return ['password must not contain your email address'];
    }
    const userInputs = [context.email, localPart, context.displayName ?? ''].filter(Boolean);
    const { score, warning } = await this.strength.estimate(password, userInputs);
    if (score < MIN_SCORE) {
      const hint = warning ? `: ${warning}` : '';
      return [`password is too easy to guess${hint}; use a longer passphrase of unrelated words`];
    }
    return [];
  }
}
