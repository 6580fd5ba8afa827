import { Injectable } from '@nestjs/common';
import type { UserDocument } from '@strongroom/users';
import type { TokenPair } from '../dto/auth.dto';
import { AccessTokenService } from './access-token.service';
import { RefreshTokenService } from './refresh-token.service';

/** A new signed-in session: an access token and the first refresh token of a new family. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  async issue(user: UserDocument): Promise<TokenPair> {
    return {
      accessToken: await this.accessTokens.issue(user),
      refreshToken: await this.refreshTokens.issue(user),
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.lifetimeSeconds,
    };
  }
}
