import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { SecurityEventsService } from '@strongroom/audit';
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
  RequiresScope,
} from '@strongroom/common';
import { BundleShareResponse, CreateShareRequest } from './dto/sharing.dto';
import {
  bundleShareAudience,
  BundleSharesService,
  toBundleShareResponse,
} from './bundle-shares.service';

/** A bundle shared with users and groups: they may read its files, under `scope=shared`. */
@ApiTags('bundles')
@ApiBearerAuth()
@ApiErrors(401, 404, 429, 503)
@Controller('bundles/:id/shares')
export class BundleSharesController {
  constructor(
    private readonly shares: BundleSharesService,
    private readonly events: SecurityEventsService,
  ) {}

  @Post()
  @RequiresScope('shares:write')
  @ApiOperation({
    summary:
      'Share your bundle with a registered user or a group you belong to; they may read its files as they are now',
  })
  @ApiCreatedResponse({ type: BundleShareResponse })
  @ApiErrors(400, 409, 422)
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') bundleId: string,
    @Body() body: CreateShareRequest,
    @Client() client: ClientContext,
  ): Promise<BundleShareResponse> {
    const created = await this.shares.create(user, bundleId, body);
    await this.events.record({
      type: 'share_created',
      client,
      actorId: user.id,
      shareId: created.share.id as string,
      ...bundleShareAudience(created.share),
    });
    return toBundleShareResponse(created);
  }

  @Get()
  @RequiresScope('shares:write')
  @ApiOperation({ summary: 'Whom your bundle is shared with' })
  @ApiOkResponse({ type: [BundleShareResponse] })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') bundleId: string,
  ): Promise<BundleShareResponse[]> {
    return (await this.shares.list(user, bundleId)).map(toBundleShareResponse);
  }

  @Delete(':shareId')
  @RequiresScope('shares:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop sharing the bundle; access to its files ends at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') bundleId: string,
    @Param('shareId') shareId: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    const share = await this.shares.revoke(user, bundleId, shareId);
    await this.events.record({
      type: 'share_revoked',
      client,
      actorId: user.id,
      shareId,
      ...bundleShareAudience(share),
    });
  }
}
