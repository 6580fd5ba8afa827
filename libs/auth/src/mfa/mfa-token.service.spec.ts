import { UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@strongroom/config';
import type { UserDocument } from '@strongroom/users';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../tokens/auth-token.constants';
import { MFA_TOKEN_AUDIENCE, MfaTokenService } from './mfa-token.service';

const options = (audience: string) => ({
  secret: 'k'.repeat(32),
  signOptions: { algorithm: 'HS256' as const, issuer: TOKEN_ISSUER, audience, expiresIn: 300 },
  verifyOptions: { algorithms: ['HS256' as const], issuer: TOKEN_ISSUER, audience },
});
const config = { mfa: { tokenTtlMs: 300_000 } } as AppConfig;
const user = { id: 'u1', tokenVersion: 3 } as unknown as UserDocument;

describe('MfaTokenService', () => {
  const service = new MfaTokenService(new JwtService(options(MFA_TOKEN_AUDIENCE)), config);

  it('issues a token for one purpose that verifies for that purpose only', async () => {
    const token = await service.issue(user, 'verify');
    await expect(service.verify(token, 'verify')).resolves.toMatchObject({
      sub: 'u1',
      ver: 3,
      typ: 'mfa',
      pur: 'verify',
    });
    await expect(service.verify(token, 'enrol')).rejects.toThrow(UnauthorizedException);
  });

  it('every token carries its own id, so each can be spent once', async () => {
    const [a, b] = await Promise.all([
      service.issue(user, 'verify'),
      service.issue(user, 'verify'),
    ]);
    const [claimsA, claimsB] = await Promise.all([
      service.verify(a, 'verify'),
      service.verify(b, 'verify'),
    ]);
    expect(claimsA.jti).not.toBe(claimsB.jti);
  });

  it('refuses an access token, even one signed with the same key', async () => {
    const access = await new JwtService(options(TOKEN_AUDIENCE)).signAsync({
      sub: 'u1',
      ver: 3,
      typ: 'access',
      jti: 'x',
    });
    await expect(service.verify(access, 'verify')).rejects.toThrow(UnauthorizedException);
  });

  it('refuses an mfaToken with a forged purpose claim', async () => {
    const forged = await new JwtService(options(MFA_TOKEN_AUDIENCE)).signAsync({
      sub: 'u1',
      ver: 3,
      typ: 'access',
      pur: 'verify',
      jti: 'x',
    });
    await expect(service.verify(forged, 'verify')).rejects.toThrow(UnauthorizedException);
  });
});
