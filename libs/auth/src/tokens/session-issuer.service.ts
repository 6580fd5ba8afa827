import { Injectable } from '@nestjs/common';
import type { UserDocument } from '@strongroom/users';
import type { TokenPair } from '../dto/auth.dto';
import { AccessTokenService } from './access-token.service';
import { RefreshTokenService } from './refresh-token.service';

/** An access token and a refresh token: the first of a new session family, or the next of one. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  async issue(user: UserDocument, familyId?: string): Promise<TokenPair> {
    return {
      accessToken: await this.accessTokens.issue(user),
      refreshToken: await this.refreshTokens.issue(user, familyId),
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.lifetimeSeconds,
    };
  }
}
