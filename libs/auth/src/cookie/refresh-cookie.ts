import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import type { TokenPair } from '../dto/auth.dto';

export const REFRESH_COOKIE = 'strongroom_refresh';
/** Sent only to the auth routes (refresh and logout), never with file or API requests. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/**
 * The browser app's refresh token, in a cookie its scripts cannot read. SameSite=Strict keeps
 * other sites' requests from carrying it; the Origin check is the second lock, for browsers or
 * proxies that get SameSite wrong.
 */
@Injectable()
export class RefreshCookie {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The token from the cookie, after checking that the request comes from our own pages. */
  take(req: Request): string {
    const token = this.read(req);
    if (!token) {
      // No session to refresh or end is a missing credential, as a wrong token is (401).
      throw new UnauthorizedException(
        'refreshToken is required: send it in the body, or sign in from the web app to get the refresh cookie',
      );
    }
    this.assertOwnOrigin(req);
    return token;
  }

  read(req: Request): string | undefined {
    const header = req.headers.cookie;
    return header ? parse(header)[REFRESH_COOKIE] || undefined : undefined;
  }

  set(res: Response, token: string): void {
    res.cookie(REFRESH_COOKIE, token, {
      ...this.options(),
      maxAge: this.config.auth.refreshTokenTtlMs,
    });
  }

  /** The pair as the client asked for it: whole in the body, or the refresh token in the cookie. */
  deliver(res: Response, pair: TokenPair, delivery: 'body' | 'cookie' = 'body'): TokenPair {
    if (delivery === 'body') return pair;
    const { refreshToken, ...rest } = pair;
    if (refreshToken) this.set(res, refreshToken);
    return rest;
  }

  clear(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, this.options());
  }

  private options(): CookieOptions {
    return { httpOnly: true, secure: true, sameSite: 'strict', path: REFRESH_COOKIE_PATH };
  }

  /**
   * Our own origin is PUBLIC_URL's, or the one the request was addressed to (a browser cannot
   * forge Host across sites, and behind a proxy that rewrites it PUBLIC_URL still matches);
   * ALLOWED_ORIGINS may add others.
   */
  private assertOwnOrigin(req: Request): void {
    const origin = req.headers.origin;
    const allowed = this.config.http.allowedOrigins;
    const listed =
      Array.isArray(allowed) && allowed.some((entry) => entry.replace(/\/$/, '') === origin);
    const ours = origin === new URL(this.config.http.publicUrl).origin;
    if (origin && (listed || ours || hostOf(origin) === req.headers.host)) return;
    throw new ForbiddenException(
      "The refresh cookie is accepted only from this server's own pages (the Origin header did not match)",
    );
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
