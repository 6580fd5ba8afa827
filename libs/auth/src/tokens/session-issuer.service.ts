import { Injectable } from '@nestjs/common';
import type { ClientContext } from '@strongroom/common';
import type { UserDocument } from '@strongroom/users';
import type { TokenPair } from '../dto/auth.dto';
import { SessionService } from '../sessions/session.service';
import { AccessTokenService } from './access-token.service';
import { RefreshTokenService } from './refresh-token.service';

/** An access token and a refresh token: the first of a new session, or the next of one. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly sessions: SessionService,
  ) {}

  /** A sign-in: a new session, recorded with the client's device and address. */
  async issue(user: UserDocument, client: ClientContext): Promise<TokenPair> {
    return this.pair(user, await this.sessions.start(user, client));
  }

  /** A refresh within the session; undefined when the session was ended meanwhile. */
  async rotate(
    user: UserDocument,
    sessionId: string,
    client: ClientContext,
  ): Promise<TokenPair | undefined> {
    if (!(await this.sessions.touch(sessionId, user, client))) return undefined;
    return this.pair(user, sessionId);
  }

  private async pair(user: UserDocument, sessionId: string): Promise<TokenPair> {
    return {
      accessToken: await this.accessTokens.issue(user, sessionId),
      refreshToken: await this.refreshTokens.issue(user, sessionId),
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.lifetimeSeconds,
    };
  }
}
