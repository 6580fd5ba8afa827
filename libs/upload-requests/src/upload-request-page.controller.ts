import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthRateLimited } from '@strongroom/auth';
import { Client, type ClientContext, Public } from '@strongroom/common';
import { FileUploadInterceptor, type UploadedBlob } from '@strongroom/files';
import { UnlockUploadRequestRequest } from './dto/upload-request.dto';
import { receivedBlob } from './received-blob';
import { UploadRequestPageFilter } from './upload-request-page.filter';
import { UploadRequestPages } from './upload-request-pages';
import { admittedUploadOf, UploadRequestUploadGuard } from './upload-request-upload.guard';
import { UploadRequestsService } from './upload-requests.service';

/**
 * `GET /r/:token`, the page a person opens from an upload request link: works without
 * JavaScript. The password form and the file form post back to the page, which answers with the
 * next state; any refusal comes back as the page with the reason (UploadRequestPageFilter).
 */
@ApiExcludeController()
@Public()
@UseFilters(UploadRequestPageFilter)
@Controller('r/:token')
export class UploadRequestPageController {
  constructor(
    private readonly requests: UploadRequestsService,
    private readonly pages: UploadRequestPages,
  ) {}

  @Get()
  async page(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.pages.answer(req, res, token, HttpStatus.OK);
  }

  @Post('unlock')
  @AuthRateLimited()
  async unlock(
    @Param('token') token: string,
    @Body() body: UnlockUploadRequestRequest,
    @Client() client: ClientContext,
    @Res() res: Response,
  ): Promise<void> {
    const open = await this.requests.unlock(token, body.password, client, res);
    const view = await this.pages.viewOf(open, null, token, true);
    this.pages.send(res, HttpStatus.OK, view);
  }

  @Post()
  @UseGuards(UploadRequestUploadGuard)
  @UseInterceptors(FileUploadInterceptor)
  async upload(
    @Param('token') token: string,
    @Req() req: Request & { file?: Partial<UploadedBlob> },
    @Client() client: ClientContext,
    @Res() res: Response,
  ): Promise<void> {
    const admitted = admittedUploadOf(req);
    const sent = await this.requests.accept(admitted, receivedBlob(req), client);
    await this.pages.answer(req, res, token, HttpStatus.OK, {
      tone: 'info',
      text: `“${sent.name}” was sent. You can send another file.`,
    });
  }
}
