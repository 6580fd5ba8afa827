import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
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
import { ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse } from './dto/api-key.dto';
import { ApiKeyService } from './api-key.service';

/** The caller's own keys. No @RequiresScope: a key can never create or revoke keys. */
@ApiTags('api keys')
@ApiBearerAuth()
@ApiErrors(401, 403, 429, 503)
@Controller('users/me/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @ApiOperation({
    summary:
      'Create a personal API key; the key is in this response only (403 when called with an API key)',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiErrors(400)
  create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: CreateApiKeyRequest,
    @Client() client: ClientContext,
  ): Promise<CreatedApiKeyResponse> {
    return this.keys.create(caller.id, body, client);
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s API keys, newest first, without their secrets' })
  @ApiOkResponse({ type: ApiKeyResponse, isArray: true })
  list(@CurrentUser() caller: AuthenticatedUser): Promise<ApiKeyResponse[]> {
    return this.keys.list(caller.id);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke one of the caller’s API keys; it stops working at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(404)
  async revoke(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.keys.revoke(caller.id, id, caller.id, client);
  }
}
