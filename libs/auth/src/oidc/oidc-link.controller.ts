import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Post,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, type AuthenticatedUser, CurrentUser } from '@strongroom/common';
import { PasswordHasher, UsersService } from '@strongroom/users';
import { AuthRateLimited } from '../auth-rate-limit';
import { LinkOidcRequest, OidcLinkStarted } from './dto/oidc.dto';
import { OidcAttemptCookie } from './oidc-attempt.cookie';
import { OidcSignInService } from './oidc-sign-in.service';
import { SSO_FAILURE_MESSAGES, SsoFailure } from './sso-failure';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('users/me/identities/oidc')
export class OidcLinkController {
  constructor(
    private readonly signIn: OidcSignInService,
    private readonly attemptCookie: OidcAttemptCookie,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      "Link single sign-on to your account: after your password, answers the provider's URL (and sets the attempt cookie); signing in there links that identity",
  })
  @ApiOkResponse({ type: OidcLinkStarted })
  @ApiErrors(400, 404, 503)
  async start(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: LinkOidcRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OidcLinkStarted> {
    const user = await this.users.getById(caller.id);
    if (!(await this.hasher.verify(user.passwordHash, body.password))) {
      throw new BadRequestException('password is not your current password');
    }
    try {
      const { url, handle } = await this.signIn.start('link', caller.id);
      this.attemptCookie.set(res, handle);
      return { authorizationUrl: url };
    } catch (error) {
      throw ssoHttpError(error);
    }
  }
}

/** Starting a link fails only for configuration or the provider's reachability. */
function ssoHttpError(error: unknown): unknown {
  if (!(error instanceof SsoFailure)) return error;
  if (error.code === 'not_configured') {
    return new NotFoundException('Single sign-on is not configured on this server');
  }
  return new ServiceUnavailableException(SSO_FAILURE_MESSAGES[error.code]);
}
