import { Injectable } from '@nestjs/common';
import { KeyRing } from '@strongroom/encryption';

export interface SealedSecret {
  kekId: string;
  sealedSecret: string;
}

/**
 * Seals TOTP secrets with the key-encryption keys that wrap file keys (AES-256-GCM), bound to the
 * user id, so a secret copied onto another account's record does not open.
 */
@Injectable()
export class TotpSecretSealer {
  constructor(private readonly keyRing: KeyRing) {}

  seal(userId: string, secret: Buffer): SealedSecret {
    const { kekId, wrappedKey } = this.keyRing.wrap(secret, TotpSecretSealer.bindingOf(userId));
    return { kekId, sealedSecret: wrappedKey };
  }

  open(userId: string, sealed: SealedSecret): Buffer {
    return this.keyRing.unwrap(
      { kekId: sealed.kekId, wrappedKey: sealed.sealedSecret },
      TotpSecretSealer.bindingOf(userId),
    );
  }

  static bindingOf(userId: string): string {
    return `mfa-totp:${userId}`;
  }
}
