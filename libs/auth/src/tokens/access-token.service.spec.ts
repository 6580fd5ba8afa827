import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@strongroom/config';
import { AccessTokenService } from './access-token.service';

describe('AccessTokenService.hasIssuedLifetime', () => {
  const service = new AccessTokenService(new JwtService(), {
    auth: { accessTokenTtlMs: 15 * 60_000 },
  } as AppConfig);
  const now = Date.UTC(2026, 0, 1);
  const nowSeconds = now / 1000;

  it.each([
    ['as issued', nowSeconds, nowSeconds + 900],
    ['issued a little earlier', nowSeconds - 600, nowSeconds + 300],
    ['stamped by a clock a few seconds ahead', nowSeconds + 5, nowSeconds + 905],
  ])('accepts claims %s', (_case, iat, exp) => {
    expect(service.hasIssuedLifetime({ iat, exp }, now)).toBe(true);
  });

  it.each([
    ['without exp', { iat: nowSeconds }],
    ['without iat', { exp: nowSeconds + 60 }],
    ['with exp beyond the lifetime', { iat: nowSeconds, exp: nowSeconds + 901 }],
    ['for ten years', { iat: nowSeconds, exp: nowSeconds + 10 * 365 * 86_400 }],
    ['dated an hour ahead', { iat: nowSeconds + 3600, exp: nowSeconds + 3660 }],
    ['with string times', { iat: String(nowSeconds), exp: String(nowSeconds + 60) }],
  ])('refuses claims %s', (_case, claims) => {
    expect(service.hasIssuedLifetime(claims, now)).toBe(false);
  });
});
