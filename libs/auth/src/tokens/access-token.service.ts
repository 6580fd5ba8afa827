import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import type { UserDocument } from '@strongroom/users';
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from './auth-token.constants';

/** How far ahead another instance's clock may be when it stamps `iat`. */
const CLOCK_SKEW_SECONDS = 30;

@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get lifetimeSeconds(): number {
    return Math.floor(this.config.auth.accessTokenTtlMs / 1000);
  }

  /** HS256 with SECRET_KEY; iss, aud, iat and exp come from the module's sign options. */
  issue(user: UserDocument, sessionId: string): Promise<string> {
    const claims: AccessTokenClaims = {
      sub: user.id as string,
      role: user.role,
      ver: user.tokenVersion,
      typ: ACCESS_TOKEN_TYPE,
      jti: randomUUID(),
      sid: sessionId,
    };
    return this.jwt.signAsync(claims);
  }

  /**
   * Whether correctly signed claims also have the lifetime this server gives: an `iat` not in the
   * future and an `exp` at most ACCESS_TOKEN_TTL after it. A token without `exp`, or one minted
   * for years by whoever once held SECRET_KEY, would otherwise never die.
   */
  hasIssuedLifetime(claims: { iat?: unknown; exp?: unknown }, now = Date.now()): boolean {
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number') return false;
    return iat <= now / 1000 + CLOCK_SKEW_SECONDS && exp - iat <= this.lifetimeSeconds;
  }
}
