import { type ConfigValidationError } from './config.schema';
import { parseTestEnvironment as parse } from './config-environment.fixture';

describe('second-factor configuration', () => {
  it('defaults to no required role, five-minute mfaTokens and the Strongroom issuer', () => {
    expect(parse({}).mfa).toEqual({
      requiredRoles: [],
      tokenTtlMs: 300_000,
      totpIssuer: 'Strongroom',
    });
  });

  it('reads a role list, a lifetime and an issuer', () => {
    expect(
      parse({
        MFA_REQUIRED_ROLES: ' Admin, auditor,admin ',
        MFA_TOKEN_TTL: '2m',
        MFA_TOTP_ISSUER: 'Acme Files',
      }).mfa,
    ).toEqual({
      requiredRoles: ['admin', 'auditor'],
      tokenTtlMs: 120_000,
      totpIssuer: 'Acme Files',
    });
  });

  it('names each bad value', () => {
    try {
      parse({ MFA_REQUIRED_ROLES: 'admin,root', MFA_TOKEN_TTL: '1h', MFA_TOTP_ISSUER: 'a:b' });
      throw new Error('expected a rejection');
    } catch (error) {
      expect((error as ConfigValidationError).problems).toEqual([
        expect.stringMatching(/^MFA_REQUIRED_ROLES: 'root' is not a role/),
        expect.stringMatching(/^MFA_TOKEN_TTL: '1h' is not a duration between 30s and 15m/),
        expect.stringMatching(/^MFA_TOTP_ISSUER: must not contain ":"/),
      ]);
    }
  });
});
