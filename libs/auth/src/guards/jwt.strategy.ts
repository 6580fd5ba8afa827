import { createSecretKey } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthenticatedUser } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { PrincipalAccounts, UsersService } from '@strongroom/users';
import { PrincipalCacheSync } from '../principal-cache/principal-cache.sync';
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
 * ended. Those two lookups are cached by session (PrincipalCache): any write to the user or the
 * session drops the entry on every instance before the write is answered, so a password change,
 * role change, disable, delete or session revocation still bites at once.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokenService,
    private readonly sessions: SessionService,
    private readonly principals: PrincipalCacheSync,
    private readonly principalAccounts: PrincipalAccounts,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject: given a string, jsonwebtoken first tries to parse it as a PEM public key on
      // every request, and throws and catches before taking it as the HMAC secret.
      secretOrKey: createSecretKey(Buffer.from(config.auth.secretKey)) as unknown as Buffer,
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
    const { sub, sid, ver } = claims;
    const { cache } = this.principals;
    const cached = typeof sid === 'string' ? cache.get(sid, sub, ver) : undefined;
    if (cached) return cached;
    const generation = cache.generation;
    // Tokens from before sessions were recorded carry no sid: a refresh gives one that does.
    const [user, sessionLive] = await Promise.all([
      this.users.findAccount(sub),
      typeof sid === 'string' ? this.sessions.isActive(sid, sub) : false,
    ]);
    if (!user || user.disabled || user.tokenVersion !== ver || !sessionLive) {
      throw new UnauthorizedException('This session has ended; sign in again');
    }
    const principal = {
      id: user._id.toHexString(),
      email: user.email,
      role: user.role,
      sessionId: sid,
    };
    // The route about the caller's own account answers from this read, for as long as the
    // principal is cached: the same writes that drop it make that answer stale.
    this.principalAccounts.remember(principal, user);
    cache.set(principal, ver, generation);
    return principal;
  }
}
