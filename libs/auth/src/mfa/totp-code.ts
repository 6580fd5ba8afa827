import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/** 256-bit secrets: the length the key ring seals, and more than RFC 4226's recommended 160. */
export const TOTP_SECRET_BYTES = 32;
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side, so a phone clock 30 s off (or a code typed at the turn) still works. */
const WINDOW = 1;

export const TOTP_CODE_PATTERN = /^\d{6}$/;

export function newTotpSecret(): Buffer {
  return randomBytes(TOTP_SECRET_BYTES);
}

function totpOf(secret: Buffer, issuer = '', label = ''): TOTP {
  return new TOTP({
    secret: new Secret({ buffer: Uint8Array.from(secret).buffer }),
    issuer,
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
  });
}

export function base32Of(secret: Buffer): string {
  return new Secret({ buffer: Uint8Array.from(secret).buffer }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app reads (usually as a QR code). */
export function otpauthUrl(secret: Buffer, issuer: string, accountName: string): string {
  return totpOf(secret, issuer, accountName).toString();
}

/** The time step the code belongs to, if it is valid now within the window; else undefined. */
export function matchingStep(
  secret: Buffer,
  code: string,
  now: number = Date.now(),
): number | undefined {
  if (!TOTP_CODE_PATTERN.test(code)) return undefined;
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? undefined : totp.counter({ timestamp: now }) + delta;
}
