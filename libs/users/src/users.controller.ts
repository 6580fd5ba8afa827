import { Body, Controller, Get, HttpCode, HttpStatus, Patch } from '@nestjs/common';
import {
  ApiBearerAuth,
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
import { ChangePasswordRequest } from './dto/user-input.dto';
import { PreferencesResponse, UpdatePreferencesRequest } from './dto/preferences.dto';
import { UserResponse } from './dto/user.dto';
import { PrincipalAccounts } from './principal-accounts';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@Controller('users/me')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly principalAccounts: PrincipalAccounts,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s own account' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<UserResponse> {
    // The account authentication read for this principal: no second read of the same record.
    const account = this.principalAccounts.of(caller) ?? (await this.users.getProfile(caller.id));
    return UserResponse.from(account);
  }

  @Patch('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Change the caller’s password; every earlier access and refresh token stops working, personal API keys too when revokeApiKeys is true',
  })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiErrors(400)
  async changePassword(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: ChangePasswordRequest,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.users.changePassword(caller, body.currentPassword, body.newPassword, client, {
      revokeApiKeys: body.revokeApiKeys,
    });
  }

  @Get('preferences')
  @ApiOperation({ summary: 'The caller’s own settings (notices by e-mail)' })
  @ApiOkResponse({ type: PreferencesResponse })
  async preferences(@CurrentUser() caller: AuthenticatedUser): Promise<PreferencesResponse> {
    return PreferencesResponse.from(await this.users.getById(caller.id));
  }

  @Patch('preferences')
  @ApiOperation({ summary: 'Change some of the caller’s settings; the others stay as they are' })
  @ApiOkResponse({ type: PreferencesResponse })
  @ApiErrors(400)
  async updatePreferences(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: UpdatePreferencesRequest,
  ): Promise<PreferencesResponse> {
    return PreferencesResponse.from(await this.users.updatePreferences(caller.id, body));
  }
}
