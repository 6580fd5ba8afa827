import {
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
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
} from '@strongroom/common';
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
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      "Link single sign-on to your account: after your password (wrong ones count toward the sign-in lockout), answers the provider's URL and sets the attempt cookie; signing in there links that identity",
  })
  @ApiOkResponse({ type: OidcLinkStarted })
  @ApiErrors(400, 404, 503)
  async start(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: LinkOidcRequest,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OidcLinkStarted> {
    try {
      const { url, handle } = await this.signIn.startLink(caller, body.password, client);
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
