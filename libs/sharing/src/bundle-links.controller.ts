import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
import { CreatedLinkResponse, CreateLinkRequest, LinkResponse } from './dto/sharing.dto';
import { ShareLinksService, toLinkResponse } from './share-links.service';

/**
 * Links to a bundle: the same links as a file's (expiry, password, download limit, link policy,
 * revocation through DELETE /links/:id), whose page lists the bundle's files.
 */
@ApiTags('bundles')
@ApiBearerAuth()
@ApiErrors(401, 404, 429, 503)
@Controller('bundles/:id/links')
export class BundleLinksController {
  constructor(
    private readonly links: ShareLinksService,
    private readonly events: SecurityEventsService,
  ) {}

  @Post()
  @RequiresScope('links:write')
  @ApiOperation({
    summary:
      'Create a public link to your bundle; the token is shown only in this answer. A ZIP of all files counts one download, each single file one',
  })
  @ApiCreatedResponse({ type: CreatedLinkResponse })
  @ApiErrors(400)
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') bundleId: string,
    @Body() body: CreateLinkRequest,
    @Client() client: ClientContext,
  ): Promise<CreatedLinkResponse> {
    const { link, token, url } = await this.links.create(user, { bundleId }, body);
    await this.events.record({
      type: 'link_created',
      client,
      actorId: user.id,
      targetLinkId: link.id as string,
      details: {
        bundleId,
        hasPassword: link.passwordHash !== null,
        maxDownloads: link.maxDownloads,
      },
    });
    return { ...toLinkResponse({ link, downloads: 0 }), token, url };
  }

  @Get()
  @RequiresScope('links:write')
  @ApiOperation({ summary: 'Your bundle’s links, without their tokens' })
  @ApiOkResponse({ type: [LinkResponse] })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') bundleId: string,
  ): Promise<LinkResponse[]> {
    return (await this.links.list(user, { bundleId })).map(toLinkResponse);
  }
}
