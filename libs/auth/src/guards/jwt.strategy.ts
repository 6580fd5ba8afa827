import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthenticatedUser } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { UsersService } from '@strongroom/users';
import { SessionService } from '../sessions/session.service';
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
 * still exists, is enabled and holds the token's version, and that the token's session was not
 * ended. No cache: two indexed lookups by id per request, run together, make a password change,
 * role change, disable, delete or session revocation bite at once, on every instance.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokenService,
    private readonly sessions: SessionService,
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
    const { sub, sid } = claims;
    // Tokens from before sessions were recorded carry no sid: a refresh gives one that does.
    const [user, sessionLive] = await Promise.all([
      this.users.findById(sub),
      typeof sid === 'string' ? this.sessions.isActive(sid, sub) : false,
    ]);
    if (!user || user.disabled || user.tokenVersion !== claims.ver || !sessionLive) {
      throw new UnauthorizedException('This session has ended; sign in again');
    }
    return { id: user.id as string, email: user.email, role: user.role, sessionId: sid };
  }
}
