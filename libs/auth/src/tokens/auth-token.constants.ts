export const TOKEN_ISSUER = 'strongroom';
export const TOKEN_AUDIENCE = 'strongroom-api';
/** The `typ` claim of access tokens, so no other token kind can pass as one. */
export const ACCESS_TOKEN_TYPE = 'access';

export interface AccessTokenClaims {
  sub: string;
  role: string;
  ver: number;
  typ: string;
  jti: string;
  /** The session (refresh-token family) the token belongs to; ending it refuses the token. */
  sid: string;
}
