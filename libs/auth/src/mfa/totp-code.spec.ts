import { Secret, TOTP } from 'otpauth';
import { base32Of, matchingStep, newTotpSecret, otpauthUrl } from './totp-code';

const secret = Buffer.alloc(32, 7);
const authenticator = new TOTP({ secret: Secret.fromBase32(base32Of(secret)) });
const now = 1_800_000_015_000;
const step = Math.floor(now / 30_000);
const codeAt = (timestamp: number) => authenticator.generate({ timestamp });

describe('TOTP codes', () => {
  it('accepts the current code and one step either side, naming the step it belongs to', () => {
    expect(matchingStep(secret, codeAt(now), now)).toBe(step);
    expect(matchingStep(secret, codeAt(now - 30_000), now)).toBe(step - 1);
    expect(matchingStep(secret, codeAt(now + 30_000), now)).toBe(step + 1);
  });

  it('refuses codes two steps off, wrong codes and anything but six digits', () => {
    expect(matchingStep(secret, codeAt(now - 60_000), now)).toBeUndefined();
    expect(matchingStep(secret, codeAt(now + 60_000), now)).toBeUndefined();
    const wrong = String((Number(codeAt(now)) + 1) % 1_000_000).padStart(6, '0');
    expect(matchingStep(secret, wrong, now)).toBeUndefined();
    expect(matchingStep(secret, `${codeAt(now)}0`, now)).toBeUndefined();
    expect(matchingStep(secret, 'abcdef', now)).toBeUndefined();
  });

  it('makes fresh 256-bit secrets and an otpauth URI an app can read', () => {
    expect(newTotpSecret()).toHaveLength(32);
    expect(newTotpSecret().equals(newTotpSecret())).toBe(false);
    const uri = otpauthUrl(secret, 'Strongroom', 'marta@example.com');
    expect(uri).toBe(
      `otpauth://totp/Strongroom:marta%40example.com?issuer=Strongroom&secret=${base32Of(secret)}&algorithm=SHA1&digits=6&period=30`,
    );
  });
});
