import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthRateLimited } from '@strongroom/auth';
import { ApiErrors, ApiFileContent, Client, type ClientContext, Public } from '@strongroom/common';
import {
  PublicContentQuery,
  PublicLinkInfo,
  UnlockRequest,
  UnlockResponse,
} from './dto/sharing.dto';
import { ShareLinksService } from './share-links.service';

/** What anyone holding a link may do. Tokens appear only in paths, which logs and metrics never record. */
@ApiTags('public links')
@Public()
@ApiErrors(404, 429, 503)
@Controller('public/links/:token')
export class PublicLinksController {
  constructor(private readonly links: ShareLinksService) {}

  @Get()
  @ApiOperation({ summary: 'What a link points at' })
  @ApiOkResponse({ type: PublicLinkInfo })
  async info(@Param('token') token: string): Promise<PublicLinkInfo> {
    const { link, file } = await this.links.resolve(token);
    return {
      name: file.name,
      size: file.size,
      contentType: file.contentType,
      expiresAt: link.expiresAt,
      requiresPassword: link.passwordHash !== null,
    };
  }

  @Post('unlock')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({ summary: 'Check a link’s password; returns a download URL valid for minutes' })
  @ApiOkResponse({ type: UnlockResponse })
  @ApiErrors(400, 401)
  unlock(
    @Param('token') token: string,
    @Body() body: UnlockRequest,
    @Client() client: ClientContext,
  ): Promise<UnlockResponse> {
    return this.links.unlock(token, body.password, client);
  }

  @Get('content')
  @ApiOperation({
    summary: 'Download the file; each completed download counts against maxDownloads',
  })
  @ApiFileContent({ 200: 'The whole file' })
  @ApiErrors(400, 401, 500)
  async content(
    @Param('token') token: string,
    @Query() query: PublicContentQuery,
    @Req() req: Request,
    @Res() res: Response,
    @Client() client: ClientContext,
  ): Promise<void> {
    res.setHeader('Referrer-Policy', 'no-referrer');
    await this.links.download(token, query.grant, req, res, client);
  }
}
