import { ContentIntegrityError, KeyRing } from '@strongroom/encryption';
import { TotpSecretSealer } from './totp-secret-sealer';

const ring = new KeyRing([{ id: 'k1', key: Buffer.alloc(32, 1) }]);

describe('TotpSecretSealer', () => {
  const sealer = new TotpSecretSealer(ring);
  const secret = Buffer.alloc(32, 9);

  it('seals a secret so that only the same user id opens it', () => {
    const sealed = sealer.seal('user-a', secret);
    expect(sealed.kekId).toBe('k1');
    expect(Buffer.from(sealed.sealedSecret, 'base64').includes(secret)).toBe(false);
    expect(sealer.open('user-a', sealed).equals(secret)).toBe(true);
    expect(() => sealer.open('user-b', sealed)).toThrow(ContentIntegrityError);
  });

  it('opens secrets sealed before a key rotation while the old key is listed', () => {
    const sealed = sealer.seal('user-a', secret);
    const rotated = new TotpSecretSealer(
      new KeyRing([
        { id: 'k2', key: Buffer.alloc(32, 2) },
        { id: 'k1', key: Buffer.alloc(32, 1) },
      ]),
    );
    expect(rotated.open('user-a', sealed).equals(secret)).toBe(true);
  });
});
