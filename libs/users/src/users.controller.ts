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
import { UserResponse } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@Controller('users/me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s own account' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() caller: AuthenticatedUser): Promise<UserResponse> {
    return UserResponse.from(await this.users.getById(caller.id));
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
}
