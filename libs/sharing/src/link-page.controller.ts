import {
  Body,
  Controller,
  Get,
  HttpException,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { AuthRateLimited } from '@strongroom/auth';
import { Client, type ClientContext, Public } from '@strongroom/common';
import { UnlockRequest } from './dto/sharing.dto';
import { linkPageCsp, type LinkPageView, renderLinkPage } from './link-page';
import { ShareLinksService } from './share-links.service';

/**
 * `GET /s/:token`, the page a person opens from a shared link: works without JavaScript. A
 * password is posted in the body, never put in a URL; success redirects to a short-lived grant.
 */
@ApiExcludeController()
@Public()
@Controller('s/:token')
export class LinkPageController {
  constructor(private readonly links: ShareLinksService) {}

  @Get()
  async page(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const view = await this.viewFor(token);
    this.send(res, view.kind === 'dead' ? HttpStatus.NOT_FOUND : HttpStatus.OK, view);
  }

  @Post()
  @AuthRateLimited()
  async unlock(
    @Param('token') token: string,
    @Body() body: UnlockRequest,
    @Client() client: ClientContext,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const { downloadUrl } = await this.links.unlock(token, body.password, client);
      res.redirect(HttpStatus.SEE_OTHER, downloadUrl);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const view = await this.viewFor(token);
      if (view.kind !== 'password') return this.send(res, HttpStatus.NOT_FOUND, { kind: 'dead' });
      const wrongPassword = error.getStatus() === (HttpStatus.UNAUTHORIZED as number);
      this.send(res, error.getStatus(), {
        ...view,
        error: wrongPassword ? 'Wrong password; try again.' : error.message,
      });
    }
  }

  private async viewFor(token: string): Promise<LinkPageView> {
    try {
      const { link, file } = await this.links.resolve(token);
      const summary = { name: file.name, size: file.size };
      return link.passwordHash === null
        ? { kind: 'download', file: summary, downloadUrl: `/api/v1/public/links/${token}/content` }
        : { kind: 'password', file: summary, formAction: `/s/${token}` };
    } catch (error) {
      if (error instanceof NotFoundException) return { kind: 'dead' };
      throw error;
    }
  }

  private send(res: Response, status: number, view: LinkPageView): void {
    const nonce = randomBytes(16).toString('base64');
    res
      .status(status)
      .setHeader('Content-Security-Policy', linkPageCsp(nonce))
      .setHeader('Referrer-Policy', 'no-referrer')
      .setHeader('Cache-Control', 'no-store')
      .type('html')
      .send(renderLinkPage(view, nonce));
  }
}
