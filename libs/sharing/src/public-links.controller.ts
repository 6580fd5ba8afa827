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
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthRateLimited } from '@strongroom/auth';
import { ApiErrors, ApiFileContent, Client, type ClientContext, Public } from '@strongroom/common';
import {
  PublicContentQuery,
  PublicLinkInfo,
  RecipientCodeAccepted,
  RecipientCodeRequest,
  RecipientVerificationRequest,
  UnlockRequest,
  UnlockResponse,
} from './dto/sharing.dto';
import { ShareLinksService } from './share-links.service';

export const RECIPIENT_CODE_ACCEPTED =
  'If this address may open the link, a code is on its way; it works for 10 minutes.';

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
    const active = await this.links.resolve(token);
    const common = {
      expiresAt: active.link.expiresAt,
      requiresPassword: active.link.passwordHash !== null,
      requiresVerification: (active.link.recipients?.length ?? 0) > 0,
    };
    if (active.kind === 'file') {
      const { file } = active;
      return {
        kind: 'file',
        name: file.name,
        size: file.size,
        contentType: file.contentType,
        ...common,
      };
    }
    const files = active.files.map((file) => ({
      id: file.id as string,
      name: file.name,
      size: file.size,
      contentType: file.contentType,
    }));
    return {
      kind: 'bundle',
      name: active.bundle.name,
      size: files.reduce((sum, file) => sum + file.size, 0),
      contentType: 'application/zip',
      files,
      ...common,
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

  @Post('verification')
  @HttpCode(HttpStatus.ACCEPTED)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'A named recipient asks for a six-digit code by e-mail; the answer is the same for any address',
  })
  @ApiAcceptedResponse({ type: RecipientCodeAccepted })
  @ApiErrors(400)
  async requestCode(
    @Param('token') token: string,
    @Body() body: RecipientCodeRequest,
    @Client() client: ClientContext,
  ): Promise<RecipientCodeAccepted> {
    await this.links.requestRecipientCode(token, body.email, client);
    return { message: RECIPIENT_CODE_ACCEPTED };
  }

  @Post('verification/confirm')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'A named recipient’s code (and the password, if the link has one) buys a download URL valid for minutes; five wrong codes end the code',
  })
  @ApiOkResponse({ type: UnlockResponse })
  @ApiErrors(400, 401)
  confirmCode(
    @Param('token') token: string,
    @Body() body: RecipientVerificationRequest,
    @Client() client: ClientContext,
  ): Promise<UnlockResponse> {
    return this.links.verifyRecipient(token, body, client);
  }

  @Get('content')
  @ApiOperation({
    summary:
      'Download a file link’s file; each completed download counts against maxDownloads (bundle links: 404, see archive)',
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

  @Get('files/:fileId/content')
  @ApiOperation({
    summary:
      'Download one file of a bundle link; counts one download against maxDownloads, as a file link’s',
  })
  @ApiFileContent({ 200: 'The whole file' })
  @ApiErrors(400, 401, 500)
  async bundleFile(
    @Param('token') token: string,
    @Param('fileId') fileId: string,
    @Query() query: PublicContentQuery,
    @Req() req: Request,
    @Res() res: Response,
    @Client() client: ClientContext,
  ): Promise<void> {
    res.setHeader('Referrer-Policy', 'no-referrer');
    await this.links.downloadBundleFile(token, fileId, query.grant, req, res, client);
  }

  @Get('archive')
  @ApiOperation({
    summary:
      'Download all of a bundle link’s files as one ZIP, streamed (stored, ZIP64 when needed); counts one download',
  })
  @ApiResponse({
    status: 200,
    description: 'The ZIP, one entry per file, with unique flat names',
    content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(400, 401, 500)
  async archive(
    @Param('token') token: string,
    @Query() query: PublicContentQuery,
    @Res() res: Response,
    @Client() client: ClientContext,
  ): Promise<void> {
    res.setHeader('Referrer-Policy', 'no-referrer');
    await this.links.downloadArchive(token, query.grant, res, client);
  }
}
