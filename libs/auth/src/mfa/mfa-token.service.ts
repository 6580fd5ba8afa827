import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import type { UserDocument } from '@strongroom/users';

/** What the token lets its holder do: give the code, or set up a first factor. */
export type MfaTokenPurpose = 'verify' | 'enrol';

export const MFA_TOKEN_AUDIENCE = 'strongroom-mfa';
export const MFA_TOKEN_TYPE = 'mfa';

export interface MfaTokenClaims {
  sub: string;
  ver: number;
  typ: typeof MFA_TOKEN_TYPE;
  pur: MfaTokenPurpose;
  jti: string;
}

const INVALID = 'The sign-in step has expired or is not valid; sign in again with your password';

/**
 * The "password checked, second factor pending" token. Signed with a key derived from SECRET_KEY
 * for this purpose only, with its own audience and type, so the access-token guard refuses it on
 * every route; it is only ever read from a request body by the second-factor routes.
 */
@Injectable()
export class MfaTokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get lifetimeSeconds(): number {
    return Math.floor(this.config.mfa.tokenTtlMs / 1000);
  }

  issue(user: UserDocument, purpose: MfaTokenPurpose): Promise<string> {
    const claims: MfaTokenClaims = {
      sub: user.id as string,
      ver: user.tokenVersion,
      typ: MFA_TOKEN_TYPE,
      pur: purpose,
      jti: randomUUID(),
    };
    return this.jwt.signAsync(claims);
  }

  /** The token's claims if it is valid, unexpired and for this purpose; else 401. */
  async verify(token: string, purpose: MfaTokenPurpose): Promise<MfaTokenClaims> {
    let claims: Partial<MfaTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync<Partial<MfaTokenClaims>>(token);
    } catch {
      throw new UnauthorizedException(INVALID);
    }
    if (
      claims.typ !== MFA_TOKEN_TYPE ||
      claims.pur !== purpose ||
      typeof claims.sub !== 'string' ||
      typeof claims.ver !== 'number' ||
      typeof claims.jti !== 'string'
    ) {
      throw new UnauthorizedException(INVALID);
    }
    return claims as MfaTokenClaims;
  }
}
