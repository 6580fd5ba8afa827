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
import { LinkPolicyService } from '@strongroom/link-policy';
import {
  CreatedLinkResponse,
  CreateLinkRequest,
  CreateShareRequest,
  LinkPolicyResponse,
  LinkResponse,
  ShareResponse,
} from './dto/sharing.dto';
import { PublicLinksController } from './public-links.controller';
import { ShareLinksService, toLinkResponse } from './share-links.service';
import { shareAudience, SharesService, toShareResponse } from './shares.service';

@ApiTags('sharing')
@ApiBearerAuth()
@ApiErrors(401, 404, 429, 503)
@Controller()
export class SharingController {
  constructor(
    private readonly shares: SharesService,
    private readonly links: ShareLinksService,
    private readonly events: SecurityEventsService,
    private readonly linkPolicies: LinkPolicyService,
  ) {}

  @Get('links/policy')
  @RequiresScope('links:write')
  @ApiOperation({
    summary:
      'The link policy that applies to you, so a client offers only what the server accepts: lifetimes, password, download limit, whether links are allowed, recipient domains',
  })
  @ApiOkResponse({ type: LinkPolicyResponse })
  async linkPolicy(@CurrentUser() user: AuthenticatedUser): Promise<LinkPolicyResponse> {
    const policy = await this.linkPolicies.effectiveFor(user);
    return {
      defaultTtlSeconds: Math.floor(policy.defaultTtlMs / 1000),
      maxTtlSeconds: Math.floor(policy.maxTtl.value / 1000),
      requirePassword: policy.requirePassword.value,
      maxDownloadsLimit: policy.maxDownloads.value,
      publicLinksAllowed: policy.publicLinks.value,
      verifyRecipients: policy.verifyRecipients.value,
      allowedRecipientDomains: policy.allowedRecipientDomains.value,
    };
  }

  @Post('files/:id/shares')
  @RequiresScope('shares:write')
  @ApiOperation({
    summary: 'Share a file with a registered user or with a group you belong to (owner only)',
  })
  @ApiCreatedResponse({ type: ShareResponse })
  @ApiErrors(400, 409, 422)
  async share(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') fileId: string,
    @Body() body: CreateShareRequest,
    @Client() client: ClientContext,
  ): Promise<ShareResponse> {
    const share = await this.shares.create(user, fileId, body);
    await this.events.record({
      type: 'share_created',
      client,
      actorId: user.id,
      fileId,
      shareId: share.share.id as string,
      ...shareAudience(share),
    });
    return toShareResponse(share);
  }

  @Get('files/:id/shares')
  @RequiresScope('shares:write')
  @ApiOperation({ summary: 'Who a file is shared with (owner, admin)' })
  @ApiOkResponse({ type: [ShareResponse] })
  async listShares(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') fileId: string,
  ): Promise<ShareResponse[]> {
    return (await this.shares.list(user, fileId)).map(toShareResponse);
  }

  @Delete('files/:id/shares/:shareId')
  @RequiresScope('shares:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Stop sharing; access ends at once' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revokeShare(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') fileId: string,
    @Param('shareId') shareId: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    const share = await this.shares.revoke(user, fileId, shareId);
    await this.events.record({
      type: 'share_revoked',
      client,
      actorId: user.id,
      fileId,
      shareId,
      ...shareAudience(share),
    });
  }

  @Post('files/:id/links')
  @RequiresScope('links:write')
  @ApiOperation({
    summary: 'Create a public link (owner only); the token is shown only in this answer',
  })
  @ApiCreatedResponse({
    type: CreatedLinkResponse,
    // What a client does next with the token; Schemathesis' stateful phase follows these too.
    links: Object.fromEntries(
      ['info', 'unlock', 'content'].map((method) => [
        `public link ${method}`,
        {
          operationId: `${PublicLinksController.name}_${method}`,
          parameters: { token: '$response.body#/token' },
        },
      ]),
    ),
  })
  @ApiErrors(400)
  async createLink(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') fileId: string,
    @Body() body: CreateLinkRequest,
    @Client() client: ClientContext,
  ): Promise<CreatedLinkResponse> {
    const { link, token, url } = await this.links.create(user, { fileId }, body);
    await this.events.record({
      type: 'link_created',
      client,
      actorId: user.id,
      fileId,
      targetLinkId: link.id as string,
      details: { hasPassword: link.passwordHash !== null, maxDownloads: link.maxDownloads },
    });
    return {
      ...toLinkResponse({ link, downloads: 0 }),
      token,
      url,
    };
  }

  @Get('files/:id/links')
  @RequiresScope('links:write')
  @ApiOperation({ summary: 'A file’s links, without their tokens (owner, admin)' })
  @ApiOkResponse({ type: [LinkResponse] })
  async listLinks(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') fileId: string,
  ): Promise<LinkResponse[]> {
    return (await this.links.list(user, { fileId })).map(toLinkResponse);
  }

  @Delete('links/:id')
  @RequiresScope('links:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a link; it dies at once (owner, admin)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revokeLink(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') linkId: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    const link = await this.links.revoke(user, linkId);
    await this.events.record({
      type: 'link_revoked',
      client,
      actorId: user.id,
      fileId: link.fileId?.toHexString(),
      targetLinkId: linkId,
      ...(link.bundleId ? { details: { bundleId: link.bundleId.toHexString() } } : {}),
    });
  }
}
