import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';

/** DER prefixes that turn a raw 32-byte Ed25519 key into PKCS#8 (private) and SPKI (public). */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A short, stable name for a public key, so a checkpoint says which key signed it. */
export function auditKeyId(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

export function rawPublicKeyOf(seed: Buffer): Buffer {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32);
}

/** The current AUDIT_SIGNING_KEY: signs new checkpoints. */
export class AuditSigner {
  readonly keyId: string;
  readonly publicKey: Buffer;
  private readonly privateKey: KeyObject;

  constructor(seed: Buffer) {
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = rawPublicKeyOf(seed);
    this.keyId = auditKeyId(this.publicKey);
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('base64');
  }
}

/**
 * The public keys a verifier trusts: the current signing key's and the earlier ones from
 * AUDIT_VERIFY_KEYS, so checkpoints signed before a key rotation still verify. Never a key that a
 * checkpoint brings along: whoever could write one could then sign it too.
 */
export class AuditKeySet {
  private readonly keys = new Map<string, KeyObject>();

  constructor(rawPublicKeys: readonly Buffer[]) {
    for (const raw of rawPublicKeys) {
      this.keys.set(
        auditKeyId(raw),
        createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }),
      );
    }
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  verify(keyId: string, message: string, signature: string): 'valid' | 'bad' | 'unknown-key' {
    const key = this.keys.get(keyId);
    if (!key) return 'unknown-key';
    try {
      return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'))
        ? 'valid'
        : 'bad';
    } catch {
      return 'bad';
    }
  }
}
