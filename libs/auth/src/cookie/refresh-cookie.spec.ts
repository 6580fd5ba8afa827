import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '@strongroom/config';
import { REFRESH_COOKIE, RefreshCookie } from './refresh-cookie';

function cookieFor(allowedOrigins: AppConfig['http']['allowedOrigins']) {
  const config = {
    http: { allowedOrigins, publicUrl: 'https://files.example.com:8443/strongroom' },
    auth: { refreshTokenTtlMs: 30 * 86_400_000 },
  } as AppConfig;
  return new RefreshCookie(config);
}

const request = (headers: Record<string, string>) => ({ headers }) as unknown as Request;
const withCookie = (headers: Record<string, string>) =>
  request({ cookie: `other=1; ${REFRESH_COOKIE}=r-token`, host: 'files.example.com', ...headers });

describe('RefreshCookie', () => {
  it('takes the token from a request made by our own pages', () => {
    const cookie = cookieFor('localhost');
    expect(cookie.take(withCookie({ origin: 'https://files.example.com' }))).toBe('r-token');
  });

  it("accepts PUBLIC_URL's origin when a proxy rewrote Host", () => {
    const cookie = cookieFor('localhost');
    const proxied = withCookie({ origin: 'https://files.example.com:8443', host: 'api:8000' });
    expect(cookie.take(proxied)).toBe('r-token');
  });

  it('accepts an origin listed in ALLOWED_ORIGINS', () => {
    const cookie = cookieFor(['https://app.example.com/']);
    expect(cookie.take(withCookie({ origin: 'https://app.example.com' }))).toBe('r-token');
  });

  it.each([
    ['another site', { origin: 'https://evil.example.net' }],
    ['a look-alike host', { origin: 'https://files.example.com.evil.net' }],
    ['no Origin at all', {}],
    ['a malformed Origin', { origin: 'null' }],
  ])('refuses %s with a 403', (_label, headers: Record<string, string>) => {
    expect(() => cookieFor('localhost').take(withCookie(headers))).toThrow(ForbiddenException);
  });

  it('says what to send when there is neither body token nor cookie', () => {
    expect(() => cookieFor('localhost').take(request({ host: 'files.example.com' }))).toThrow(
      UnauthorizedException,
    );
  });

  it('sets an HttpOnly, Secure, SameSite=Strict cookie scoped to the auth routes', () => {
    const res = { cookie: jest.fn() } as unknown as Response;
    cookieFor('localhost').set(res, 'new-token');
    expect(res.cookie).toHaveBeenCalledWith(REFRESH_COOKIE, 'new-token', {
      httpOnly: true,
      secure: true,
      sameSite: 'strict',
      path: '/api/v1/auth',
      maxAge: 30 * 86_400_000,
    });
  });

  describe('deliver', () => {
    const pair = {
      accessToken: 'a',
      refreshToken: 'r',
      tokenType: 'Bearer' as const,
      expiresIn: 900,
    };

    it('answers the pair as it is for body delivery, the default', () => {
      const res = { cookie: jest.fn() } as unknown as Response;
      expect(cookieFor('localhost').deliver(res, pair)).toBe(pair);
      expect(res.cookie).not.toHaveBeenCalled();
    });

    it('moves the refresh token into the cookie and keeps the rest of the answer', () => {
      const res = { cookie: jest.fn() } as unknown as Response;
      const answer = cookieFor('localhost').deliver(
        res,
        { ...pair, recoveryCodes: ['c'] },
        'cookie',
      );
      expect(answer).toEqual({
        accessToken: 'a',
        tokenType: 'Bearer',
        expiresIn: 900,
        recoveryCodes: ['c'],
      });
      expect(res.cookie).toHaveBeenCalledWith(
        REFRESH_COOKIE,
        'r',
        expect.objectContaining({ httpOnly: true }),
      );
    });
  });
});
