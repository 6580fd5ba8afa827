import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
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
  PasskeyCeremonyOptions,
  PasskeyName,
  PasskeyView,
  RegisterPasskeyRequest,
  RemovePasskeyRequest,
} from './dto/passkey.dto';
import { PasskeySettingsService } from './passkey-settings.service';

@ApiTags('passkeys')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@Controller('users/me/passkeys')
export class PasskeysController {
  constructor(private readonly settings: PasskeySettingsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's passkeys (never their keys)" })
  @ApiOkResponse({ type: PasskeyView, isArray: true })
  list(@CurrentUser() caller: AuthenticatedUser): Promise<PasskeyView[]> {
    return this.settings.list(caller);
  }

  @Post('registration-options')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Start registering a passkey: options for navigator.credentials.create() and the challengeId to answer with (single use, WEBAUTHN_CHALLENGE_TTL)',
  })
  @ApiOkResponse({ type: PasskeyCeremonyOptions })
  @ApiErrors(400)
  registrationOptions(@CurrentUser() caller: AuthenticatedUser): Promise<PasskeyCeremonyOptions> {
    return this.settings.registrationOptions(caller);
  }

  @Post()
  @ApiOperation({
    summary:
      "Finish registering: the authenticator's response to the options, verified against their challenge, origin and RP id",
  })
  @ApiCreatedResponse({ type: PasskeyView })
  @ApiErrors(400, 409)
  register(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: RegisterPasskeyRequest,
    @Client() client: ClientContext,
  ): Promise<PasskeyView> {
    return this.settings.register(caller, body.challengeId, body.name, body.credential, client);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename a passkey' })
  @ApiOkResponse({ type: PasskeyView })
  @ApiErrors(400, 404)
  rename(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: PasskeyName,
    @Client() client: ClientContext,
  ): Promise<PasskeyView> {
    return this.settings.rename(caller, id, body.name, client);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Remove a passkey; needs the password, and a wrong one counts toward the sign-in lockout',
  })
  @ApiNoContentResponse({ description: 'Removed; the passkey no longer signs in' })
  @ApiErrors(400, 404)
  async remove(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: RemovePasskeyRequest,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.settings.remove(caller, id, body.password, client);
  }
}
