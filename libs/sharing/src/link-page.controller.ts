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
import { UsersService } from '@strongroom/users';
import {
  LinkPageDownloadRequest,
  RecipientCodeRequest,
  RecipientVerificationRequest,
  UnlockRequest,
} from './dto/sharing.dto';
import {
  ARCHIVE_ITEM,
  type LinkPageDetails,
  linkPageCsp,
  type LinkPageView,
  renderLinkPage,
} from './link-page';
import { RECIPIENT_CODE_ACCEPTED } from './public-links.controller';
import { type ActiveLink, ShareLinksService } from './share-links.service';

type EntryView = Extract<LinkPageView, { kind: 'dead' | 'download' | 'password' | 'recipient' }>;

/**
 * `GET /s/:token`, the page a person opens from a shared link: works without JavaScript. The
 * download button and the password form post to the page, which answers with the "download
 * started" state; a password is posted in the body, never put in a URL, and buys a short-lived
 * grant URL.
 */
@ApiExcludeController()
@Public()
@Controller('s/:token')
export class LinkPageController {
  constructor(
    private readonly links: ShareLinksService,
    private readonly users: UsersService,
  ) {}

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
      await this.sendGranted(res, token, downloadUrl);
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

  /** A named recipient asks for a code; the page then asks for it, whatever the address. */
  @Post('code')
  @AuthRateLimited()
  async requestCode(
    @Param('token') token: string,
    @Body() body: RecipientCodeRequest,
    @Client() client: ClientContext,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.viewFor(token);
    if (view.kind !== 'recipient') return this.send(res, HttpStatus.NOT_FOUND, { kind: 'dead' });
    await this.links.requestRecipientCode(token, body.email, client);
    this.send(res, HttpStatus.OK, this.codeView(token, view, body.email, RECIPIENT_CODE_ACCEPTED));
  }

  @Post('verify')
  @AuthRateLimited()
  async verify(
    @Param('token') token: string,
    @Body() body: RecipientVerificationRequest,
    @Client() client: ClientContext,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const { downloadUrl } = await this.links.verifyRecipient(token, body, client);
      await this.sendGranted(res, token, downloadUrl);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      const view = await this.viewFor(token);
      if (view.kind !== 'recipient') return this.send(res, HttpStatus.NOT_FOUND, { kind: 'dead' });
      this.send(res, error.getStatus(), {
        ...this.codeView(token, view, body.email),
        error: error.message,
      });
    }
  }

  /**
   * The download buttons of a link without a password: not throttled like password guesses. A
   * bundle's page says which download in `item`: a file's id, or "archive" for all as a ZIP.
   */
  @Post('download')
  async download(
    @Param('token') token: string,
    @Body() body: LinkPageDownloadRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.viewFor(token);
    if (view.kind === 'dead') return this.send(res, HttpStatus.NOT_FOUND, view);
    if (view.kind === 'password' || view.kind === 'recipient') {
      const error =
        view.kind === 'password'
          ? `${view.details.bundle ? 'These files are' : 'This file is'} protected by a password; enter it to download.`
          : 'Only the people it was sent to can open it; ask for a code below.';
      return this.send(res, HttpStatus.UNAUTHORIZED, { ...view, error });
    }
    const base = `/api/v1/public/links/${token}`;
    let downloadUrl = `${base}/content`;
    if (view.details.bundle) {
      const item = body.item;
      if (item === ARCHIVE_ITEM) downloadUrl = `${base}/archive`;
      else if (view.details.bundle.files.some((file) => file.id === item))
        downloadUrl = `${base}/files/${item}/content`;
      else {
        const error = 'That file is no longer in this bundle; choose one from the list.';
        return this.send(res, HttpStatus.NOT_FOUND, { ...view, error });
      }
    }
    this.send(res, HttpStatus.OK, { kind: 'started', details: view.details, downloadUrl });
  }

  /** After a password or a recipient's code: a file starts downloading, a bundle lists its URLs. */
  private async sendGranted(res: Response, token: string, downloadUrl: string): Promise<void> {
    const view = await this.viewFor(token);
    if (view.kind === 'dead') return this.send(res, HttpStatus.NOT_FOUND, view);
    if (!view.details.bundle) {
      return this.send(res, HttpStatus.OK, { kind: 'started', details: view.details, downloadUrl });
    }
    // A bundle's page lists its downloads, each carrying the grant, rather than starting one.
    const grant = new URL(downloadUrl, 'http://link.invalid').searchParams.get('grant') ?? '';
    const query = `?grant=${encodeURIComponent(grant)}`;
    const base = `/api/v1/public/links/${token}`;
    this.send(res, HttpStatus.OK, {
      kind: 'unlocked',
      details: view.details,
      urls: {
        archive: `${base}/archive${query}`,
        file: (fileId) => `${base}/files/${fileId}/content${query}`,
      },
    });
  }

  private codeView(
    token: string,
    view: Extract<EntryView, { kind: 'recipient' }>,
    email: string,
    notice?: string,
  ): Extract<LinkPageView, { kind: 'code' }> {
    return {
      kind: 'code',
      details: view.details,
      email,
      formAction: `/s/${token}/verify`,
      resendAction: `/s/${token}/code`,
      needsPassword: view.needsPassword,
      notice,
    };
  }

  private async viewFor(token: string): Promise<EntryView> {
    let active: ActiveLink;
    try {
      active = await this.links.resolve(token);
    } catch (error) {
      if (error instanceof NotFoundException) return { kind: 'dead' };
      throw error;
    }
    const details = await this.detailsOf(active);
    if (active.link.recipients?.length) {
      return {
        kind: 'recipient',
        details,
        formAction: `/s/${token}/code`,
        needsPassword: active.link.passwordHash !== null,
      };
    }
    return active.link.passwordHash === null
      ? { kind: 'download', details, formAction: `/s/${token}/download` }
      : { kind: 'password', details, formAction: `/s/${token}` };
  }

  /**
   * The sharer is named by display name and email: recipients expect to see which colleague sent
   * the link, and it tells them whom to ask for a password or a new link. Nothing else about the
   * account (role, id) is shown.
   */
  private async detailsOf(active: ActiveLink): Promise<LinkPageDetails> {
    const { link, downloadsLeft } = active;
    const owner = await this.users.findById(link.ownerId.toHexString());
    const shared =
      active.kind === 'file'
        ? { file: { name: active.file.name, size: active.file.size } }
        : {
            bundle: {
              name: active.bundle.name,
              files: active.files.map((file) => ({
                id: file.id as string,
                name: file.name,
                size: file.size,
              })),
            },
          };
    return {
      ...shared,
      sharer: owner ? { email: owner.email, displayName: owner.displayName } : undefined,
      expiresAt: link.expiresAt,
      downloadsLeft,
    };
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
