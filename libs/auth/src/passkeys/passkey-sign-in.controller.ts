import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrors, Client, type ClientContext, Public } from '@strongroom/common';
import { AuthRateLimited } from '../auth-rate-limit';
import { RefreshCookie } from '../cookie/refresh-cookie';
import { TokenPair } from '../dto/auth.dto';
import {
  MfaPasskeyOptionsRequest,
  MfaPasskeyVerifyRequest,
  PasskeyCeremonyOptions,
  PasskeySignInRequest,
} from './dto/passkey.dto';
import { PasskeySignInService } from './passkey-sign-in.service';

/** Signing in with a passkey, without a password or as the second step after one. */
@ApiTags('auth')
@Public()
@ApiErrors(400, 429, 503)
@Controller('auth')
export class PasskeySignInController {
  constructor(
    private readonly signIn: PasskeySignInService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Post('passkey/options')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Start a password-less sign-in: options for navigator.credentials.get() (any discoverable passkey, user verification required) and the challengeId',
  })
  @ApiOkResponse({ type: PasskeyCeremonyOptions })
  options(): Promise<PasskeyCeremonyOptions> {
    return this.signIn.signInOptions();
  }

  @Post('passkey/verify')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Finish a password-less sign-in with the assertion: the token pair, as login gives; each challenge answers once',
  })
  @ApiOkResponse({ type: TokenPair })
  @ApiErrors(401)
  async verify(
    @Body() body: PasskeySignInRequest,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair> {
    const pair = await this.signIn.signIn(body.challengeId, body.credential, client);
    return this.cookie.deliver(res, pair, body.refreshTokenDelivery);
  }

  @Post('mfa/passkey/options')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      "Second step with a passkey: options for navigator.credentials.get() with the mfaToken account's passkeys",
  })
  @ApiOkResponse({ type: PasskeyCeremonyOptions })
  @ApiErrors(401, 404)
  secondFactorOptions(@Body() body: MfaPasskeyOptionsRequest): Promise<PasskeyCeremonyOptions> {
    return this.signIn.secondFactorOptions(body.mfaToken);
  }

  @Post('mfa/passkey/verify')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Complete a sign-in with a passkey assertion for the mfaToken; counts toward the lockout as a code does',
  })
  @ApiOkResponse({ type: TokenPair })
  @ApiErrors(401)
  async secondFactor(
    @Body() body: MfaPasskeyVerifyRequest,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TokenPair> {
    const pair = await this.signIn.secondFactor(
      body.mfaToken,
      body.challengeId,
      body.credential,
      client,
    );
    return this.cookie.deliver(res, pair, body.refreshTokenDelivery);
  }
}
