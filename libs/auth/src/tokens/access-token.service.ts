import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import type { UserDocument } from '@strongroom/users';
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from './auth-token.constants';

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
  issue(user: UserDocument): Promise<string> {
    const claims: AccessTokenClaims = {
      sub: user.id as string,
      role: user.role,
      ver: user.tokenVersion,
      typ: ACCESS_TOKEN_TYPE,
      jti: randomUUID(),
    };
    return this.jwt.signAsync(claims);
  }
}
