import { type RawEnvironment } from './config.schema';
import {
  parseTestEnvironment as parse,
  configProblems as problemsOf,
} from './config-environment.fixture';

const PRODUCTION: RawEnvironment = {
  ENVIRONMENT: 'production',
  MONGO_URL: 'mongodb://db.internal/strongroom',
  SECRET_KEY: 's'.repeat(40),
  ALLOWED_ORIGINS: 'https://files.example.com',
  PUBLIC_URL: 'https://files.example.com/app',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 2).toString('base64')}`,
  METRICS_TOKEN: 'm'.repeat(40),
  AUDIT_SIGNING_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'),
};

describe('passkey (WebAuthn) configuration', () => {
  it("takes the relying party from PUBLIC_URL's host and origin, with five-minute challenges", () => {
    expect(parse({ PUBLIC_URL: 'https://files.example.com:8443/base' }).webauthn).toEqual({
      rpId: 'files.example.com',
      rpName: 'Strongroom',
      origins: ['https://files.example.com:8443'],
      challengeTtlMs: 300_000,
    });
  });

  it('reads an RP id, a name, several origins and a shorter challenge lifetime', () => {
    expect(
      parse({
        PUBLIC_URL: 'https://files.example.com',
        WEBAUTHN_RP_ID: 'Example.com',
        WEBAUTHN_RP_NAME: 'Acme Files',
        WEBAUTHN_ORIGINS: 'https://files.example.com, https://share.example.com',
        WEBAUTHN_CHALLENGE_TTL: '2m',
      }).webauthn,
    ).toEqual({
      rpId: 'example.com',
      rpName: 'Acme Files',
      origins: ['https://files.example.com', 'https://share.example.com'],
      challengeTtlMs: 120_000,
    });
  });

  it('names each bad value', () => {
    expect(
      problemsOf({
        WEBAUTHN_RP_ID: 'https://example.com',
        WEBAUTHN_ORIGINS: 'https://example.com/path',
        WEBAUTHN_CHALLENGE_TTL: '10m',
      }),
    ).toEqual([
      expect.stringMatching(/^WEBAUTHN_RP_ID: must be a host name/),
      expect.stringMatching(/^WEBAUTHN_ORIGINS: 'https:\/\/example.com\/path' is not an origin/),
      expect.stringMatching(/^WEBAUTHN_CHALLENGE_TTL: must be at most 5m/),
    ]);
  });

  it("production accepts PUBLIC_URL's host or a parent domain as RP id", () => {
    expect(problemsOf({ ...PRODUCTION, WEBAUTHN_RP_ID: 'files.example.com' })).toEqual([]);
    expect(problemsOf({ ...PRODUCTION, WEBAUTHN_RP_ID: 'example.com' })).toEqual([]);
  });

  it("production refuses an RP id that does not cover PUBLIC_URL's host", () => {
    for (const rpId of ['other.example', 'ample.com', 'sub.files.example.com']) {
      expect(problemsOf({ ...PRODUCTION, WEBAUTHN_RP_ID: rpId })).toEqual([
        expect.stringMatching(/^WEBAUTHN_RP_ID: must be PUBLIC_URL's host \(files.example.com\)/),
      ]);
    }
  });
});
