import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthenticatedUser } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { UsersService } from '@strongroom/users';
import { AccessTokenService } from '../tokens/access-token.service';
import {
  ACCESS_TOKEN_TYPE,
  type AccessTokenClaims,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from '../tokens/auth-token.constants';

/**
 * Verifies access tokens: HS256 only (so `alg: none`, other algorithms and embedded keys fail),
 * issuer, audience, expiry and not-before checked, and a lifetime no longer than we issue (so a
 * token without `exp` fails too); then confirms on every request that the user
 * still exists, is enabled and holds the token's version. No cache: one indexed lookup per request
 * makes a password change, role change, disable or delete bite at once, on every instance.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokenService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.auth.secretKey,
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  async validate(
    claims: Partial<AccessTokenClaims & { iat: number; exp: number }>,
  ): Promise<AuthenticatedUser> {
    if (!this.accessTokens.hasIssuedLifetime(claims)) {
      throw new UnauthorizedException(
        'Invalid access token: it has no expiry or outlives the access-token lifetime; sign in again',
      );
    }
    if (
      claims.typ !== ACCESS_TOKEN_TYPE ||
      typeof claims.sub !== 'string' ||
      typeof claims.ver !== 'number'
    ) {
      throw new UnauthorizedException('Invalid access token');
    }
    const user = await this.users.findById(claims.sub);
    if (!user || user.disabled || user.tokenVersion !== claims.ver) {
      throw new UnauthorizedException('This session has ended; sign in again');
    }
    return { id: user.id as string, email: user.email, role: user.role };
  }
}
