import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
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
  Roles,
} from '@strongroom/common';
import { UsersService } from '@strongroom/users';
import { ApiKeyResponse } from './dto/api-key.dto';
import { ApiKeyService } from './api-key.service';

@ApiTags('users (admin)')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403, 404, 429, 503)
@Controller('users/:id/api-keys')
export class ApiKeyAdminController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'A user’s API keys, without their secrets' })
  @ApiOkResponse({ type: ApiKeyResponse, isArray: true })
  async list(@Param('id') userId: string): Promise<ApiKeyResponse[]> {
    await this.users.getById(userId);
    return this.keys.list(userId);
  }

  @Delete(':keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a user’s API key; it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(
    @Param('id') userId: string,
    @Param('keyId') keyId: string,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.users.getById(userId);
    await this.keys.revoke(userId, keyId, actor.id, client);
  }
}
