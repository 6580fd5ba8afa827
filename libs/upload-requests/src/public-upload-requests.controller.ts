import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthRateLimited } from '@strongroom/auth';
import { ApiErrors, Client, type ClientContext, Public } from '@strongroom/common';
import { FileUploadInterceptor, UPLOAD_FIELD, type UploadedBlob } from '@strongroom/files';
import {
  PublicUploadRequestInfo,
  UnlockUploadRequestRequest,
  VisitorUpload,
} from './dto/upload-request.dto';
import { receivedBlob } from './received-blob';
import { admittedUploadOf, UploadRequestUploadGuard } from './upload-request-upload.guard';
import { UploadRequestsService } from './upload-requests.service';

/**
 * What anyone holding an upload request link may do: read what is asked, unlock it, send files.
 * A visitor is one browser (its HttpOnly cookie); it is shown only what it sent itself, and no
 * route here reads or lists any file. Tokens appear only in paths, which logs never record.
 */
@ApiTags('public upload requests')
@ApiParam({ name: 'token', description: 'The token of the upload request link (/r/<token>)' })
@Public()
@ApiErrors(404, 410, 429, 503)
@Controller('public/upload-requests/:token')
export class PublicUploadRequestsController {
  constructor(private readonly requests: UploadRequestsService) {}

  @Get()
  @ApiOperation({
    summary: 'What the request asks for, its limits left, and what this visit has sent',
  })
  @ApiOkResponse({ type: PublicUploadRequestInfo })
  async info(@Param('token') token: string, @Req() req: Request): Promise<PublicUploadRequestInfo> {
    const open = await this.requests.resolve(token);
    return this.requests.describe(open, await this.requests.visitOf(req, open));
  }

  @Post('unlock')
  @HttpCode(HttpStatus.OK)
  @AuthRateLimited()
  @ApiOperation({
    summary:
      'Check the request’s password; starts a visit (an HttpOnly cookie) that may send files',
  })
  @ApiOkResponse({ type: PublicUploadRequestInfo })
  @ApiErrors(400, 401)
  async unlock(
    @Param('token') token: string,
    @Body() body: UnlockUploadRequestRequest,
    @Client() client: ClientContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PublicUploadRequestInfo> {
    const open = await this.requests.unlock(token, body.password, client, res);
    return this.requests.describe(open, null).then((info) => ({ ...info, unlocked: true }));
  }

  @Post('files')
  @UseGuards(UploadRequestUploadGuard)
  @UseInterceptors(FileUploadInterceptor)
  @ApiOperation({
    summary:
      'Send one file (multipart field "file") into the requester’s space; scanned, encrypted, charged to their quota',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [UPLOAD_FIELD],
      properties: { [UPLOAD_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: VisitorUpload })
  @ApiErrors(400, 401, 409, 413, 415, 422)
  upload(
    @Req() req: Request & { file?: Partial<UploadedBlob> },
    @Client() client: ClientContext,
  ): Promise<VisitorUpload> {
    return this.requests.accept(admittedUploadOf(req), receivedBlob(req), client);
  }
}
