import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
} from '@strongroom/common';
import {
  ConfirmTotpRequest,
  DisableTotpRequest,
  RecoveryCodes,
  TotpEnrolment,
  TotpStatus,
} from './dto/mfa.dto';
import { MfaSettingsService } from './mfa-settings.service';

@ApiTags('mfa')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@Controller('users/me/mfa/totp')
export class MfaController {
  constructor(private readonly settings: MfaSettingsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Whether the caller has a confirmed TOTP factor, and how many recovery codes are left; never the secret',
  })
  @ApiOkResponse({ type: TotpStatus })
  status(@CurrentUser() caller: AuthenticatedUser): Promise<TotpStatus> {
    return this.settings.state(caller);
  }

  @Post()
  @ApiOperation({
    summary:
      'Start TOTP enrolment: a new pending secret (replacing a pending one) until a code confirms it',
  })
  @ApiCreatedResponse({ type: TotpEnrolment })
  @ApiErrors(409)
  enrol(
    @CurrentUser() caller: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<TotpEnrolment> {
    return this.settings.enrol(caller, client);
  }

  @Post('confirm')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Confirm the pending secret with a current code; answers the ten recovery codes, once',
  })
  @ApiOkResponse({ type: RecoveryCodes })
  @ApiErrors(400, 404, 409)
  async confirm(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: ConfirmTotpRequest,
    @Client() client: ClientContext,
  ): Promise<RecoveryCodes> {
    return { recoveryCodes: await this.settings.confirm(caller, body.code, client) };
  }

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Remove the TOTP factor and its recovery codes; needs the password and a current or recovery code',
  })
  @ApiNoContentResponse({ description: 'Removed; sign-in is password-only again' })
  @ApiErrors(400, 404)
  async disable(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: DisableTotpRequest,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.settings.disable(caller, body.password, body.code, client);
  }
}
