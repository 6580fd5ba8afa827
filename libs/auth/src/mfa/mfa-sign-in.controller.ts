import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, Client, type ClientContext, Public } from '@strongroom/common';
import { AuthRateLimited } from '../auth-rate-limit';
import { RefreshCookie } from '../cookie/refresh-cookie';
import { TokenPair } from '../dto/auth.dto';
import {
  ConfirmEnrolmentRequest,
  EnrolmentCompleted,
  EnrolmentTokenRequest,
  TotpEnrolment,
  VerifyMfaRequest,
} from './dto/mfa.dto';
import { MfaSignInService } from './mfa-sign-in.service';

/** The second step of sign-in; the mfaToken travels in the body, never as a bearer token. */
@ApiTags('auth')
@Public()
@ApiErrors(400, 401, 429, 503)
@Controller('auth/mfa')
export class MfaSignInController {
  constructor(
    private readonly signIn: MfaSignInService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Complete a sign-in with a TOTP code or a recovery code; each code and each mfaToken works once',
  })
  @ApiOkResponse({ type: TokenPair })
  async verify(
    @Body() body: VerifyMfaRequest,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair> {
    const pair = await this.signIn.verify(body.mfaToken, body.code, client);
    return this.cookie.deliver(res, pair, body.refreshTokenDelivery);
  }

  @Post('totp')
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Enrolment forced by MFA_REQUIRED_ROLES: a pending TOTP secret for the holder of an enrolment mfaToken',
  })
  @ApiCreatedResponse({ type: TotpEnrolment })
  @ApiErrors(409)
  enrol(
    @Body() body: EnrolmentTokenRequest,
    @Client() client: ClientContext,
  ): Promise<TotpEnrolment> {
    return this.signIn.enrol(body.mfaToken, client);
  }

  @Post('totp/confirm')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Confirm the forced enrolment with a first code: ends signed in, with the recovery codes shown once',
  })
  @ApiOkResponse({ type: EnrolmentCompleted })
  @ApiErrors(404, 409)
  async confirm(
    @Body() body: ConfirmEnrolmentRequest,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnrolmentCompleted> {
    const completed = await this.signIn.confirmEnrolment(body.mfaToken, body.code, client);
    return this.cookie.deliver(res, completed, body.refreshTokenDelivery);
  }
}
