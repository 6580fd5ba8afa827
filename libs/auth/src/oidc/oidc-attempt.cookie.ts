import { Injectable } from '@nestjs/common';
import { parse } from 'cookie';
import type { CookieOptions, Request, Response } from 'express';
import { OIDC_ATTEMPT_TTL_MS } from './oidc-attempt.store';

export const OIDC_ATTEMPT_COOKIE = 'strongroom_oidc';
const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';

/**
 * Binds a started sign-in to the browser that started it. SameSite=Lax, not Strict: the callback
 * is a top-level navigation from the provider's site, which a Strict cookie would not come with.
 */
@Injectable()
export class OidcAttemptCookie {
  set(res: Response, handle: string): void {
    res.cookie(OIDC_ATTEMPT_COOKIE, handle, { ...this.options(), maxAge: OIDC_ATTEMPT_TTL_MS });
  }

  read(req: Request): string | undefined {
    const header = req.headers.cookie;
    return header ? parse(header)[OIDC_ATTEMPT_COOKIE] || undefined : undefined;
  }

  clear(res: Response): void {
    res.clearCookie(OIDC_ATTEMPT_COOKIE, this.options());
  }

  private options(): CookieOptions {
    return { httpOnly: true, secure: true, sameSite: 'lax', path: OIDC_COOKIE_PATH };
  }
}
