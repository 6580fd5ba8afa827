import { createHash } from 'node:crypto';
import { Secret } from 'otpauth';

export const RECOVERY_CODE_COUNT = 10;
/** 80 random bits a code: beyond offline guessing, so a fast hash is enough (see README). */
const RECOVERY_CODE_BYTES = 10;

/** Ten fresh codes, shown once, as `xxxx-xxxx-xxxx-xxxx` in lower-case base32. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    new Secret({ size: RECOVERY_CODE_BYTES }).base32.toLowerCase().match(/.{4}/g)!.join('-'),
  );
}

/** Case, spaces and dashes do not matter when a code is typed back. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

/** SHA-256 over the user id and the normalised code, so equal codes of two users differ. */
export function recoveryCodeHash(userId: string, code: string): string {
  return createHash('sha256')
    .update(`${userId}\u0000${normalizeRecoveryCode(code)}`)
    .digest('hex');
}
