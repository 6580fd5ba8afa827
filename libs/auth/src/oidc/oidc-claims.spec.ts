import type { OidcConfig } from '@strongroom/config';
import { claimValues, grantsAccess, roleFromClaims } from './oidc-claims';

const config = (overrides: Partial<OidcConfig> = {}): OidcConfig => ({
  issuer: 'https://login.example.com',
  clientId: 'strongroom',
  redirectUrl: 'https://files.example.com/api/v1/auth/oidc/callback',
  scopes: 'openid email profile',
  roleClaim: 'groups',
  roleMap: [
    { value: 'strongroom-admins', role: 'admin' },
    { value: 'auditors', role: 'auditor' },
  ],
  accessValues: [],
  jitProvisioning: true,
  only: false,
  breakGlassEmails: [],
  displayName: 'SSO',
  clockToleranceMs: 30_000,
  ...overrides,
});

describe('OIDC claims', () => {
  it('reads a string, a list, and a dotted path into nested claims', () => {
    expect(claimValues({ groups: 'staff' }, 'groups')).toEqual(['staff']);
    expect(claimValues({ groups: ['a', 3, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(claimValues({}, 'groups')).toEqual([]);
  });

  it('gives the highest mapped role, whatever the order, and user by default', () => {
    expect(roleFromClaims({ groups: ['auditors', 'strongroom-admins'] }, config())).toBe('admin');
    expect(roleFromClaims({ groups: ['strongroom-admins', 'auditors'] }, config())).toBe('admin');
    expect(roleFromClaims({ groups: 'auditors' }, config())).toBe('auditor');
    expect(roleFromClaims({ groups: ['staff'] }, config())).toBe('user');
    expect(roleFromClaims({}, config())).toBe('user');
    expect(roleFromClaims({ groups: 'auditors' }, config({ roleClaim: undefined }))).toBe('user');
  });

  it('grants access only when the access claim holds a listed value', () => {
    const gated = config({ accessClaim: 'groups', accessValues: ['staff'] });
    expect(grantsAccess({ groups: ['staff', 'x'] }, gated)).toBe(true);
    expect(grantsAccess({ groups: ['x'] }, gated)).toBe(false);
    expect(grantsAccess({}, gated)).toBe(false);
    expect(grantsAccess({}, config())).toBe(true);
  });
});
