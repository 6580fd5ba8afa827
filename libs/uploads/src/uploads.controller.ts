import {
  Controller,
  Delete,
  Head,
  Inject,
  Options,
  Param,
  Patch,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Server } from '@tus/server';
import type { Request, Response } from 'express';
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
  RequiresScope,
} from '@strongroom/common';
import { byteCount } from './byte-count-header';
import { TUS_VERSION } from './tus-resumable.middleware';
import { FILE_ID_HEADER, TUS_SERVER } from './tus-server.provider';
import { PATCH_CONTENT_TYPE, TusPatchHandler } from './tus-patch.handler';
import { runAsUploader, type Uploader } from './uploader-context';

const TUS_RESUMABLE = {
  name: 'Tus-Resumable',
  required: true,
  description: 'The protocol version: always `1.0.0`',
  schema: { type: 'string' as const, enum: [TUS_VERSION] },
};
/** tus sends byte counts as plain decimal integers. */
const BYTE_COUNT = { type: 'integer' as const, minimum: 0, maximum: Number.MAX_SAFE_INTEGER };
const UPLOAD_OFFSET_OUT = {
  'Upload-Offset': {
    description: 'Bytes durably stored: whole encryption chunks, so possibly less than was sent',
    schema: { type: 'integer' },
  },
};
const UPLOAD_EXPIRES_OUT = {
  'Upload-Expires': { description: 'When an unfinished upload is swept (UPLOAD_EXPIRY)' },
};
const FILE_ID_OUT = {
  [FILE_ID_HEADER]: {
    description: 'On the request that completed the upload: the id of the ready file',
  },
};
/** The bytes from Upload-Offset on: required in a PATCH, optional in a creation. */
const firstBytes = (required: boolean) => ({
  required,
  schema: { type: 'string' as const, format: 'binary' },
});

/**
 * tus 1.0 resumable uploads (core, creation, creation-with-upload, termination, expiration). The
 * global guard has authenticated the caller; the protocol itself is @tus/server's, over our
 * DataStore, which is told who calls through runAsUploader.
 */
@ApiTags('uploads')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@RequiresScope('files:write')
@Controller('uploads')
export class UploadsController {
  constructor(
    @Inject(TUS_SERVER) private readonly tus: Server,
    private readonly patches: TusPatchHandler,
  ) {}

  @Options()
  @ApiOperation({ summary: 'tus discovery: version, extensions and limits' })
  @ApiResponse({
    status: 204,
    description: 'The server speaks tus',
    headers: {
      'Tus-Resumable': { description: '1.0.0' },
      'Tus-Version': { description: '1.0.0' },
      'Tus-Extension': {
        description: 'creation,creation-with-upload,termination,expiration',
      },
    },
  })
  discover(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: AuthenticatedUser,
    @Client() client: ClientContext,
  ) {
    return this.handle(req, res, user, client);
  }

  @Post()
  @ApiOperation({
    summary:
      'Create an upload of Upload-Length bytes (and, with a body, send its first bytes); the size is checked against MAX_FILE_SIZE and reserved from the quota before any byte',
  })
  @ApiHeader(TUS_RESUMABLE)
  @ApiHeader({
    name: 'Upload-Length',
    required: true,
    description: 'Size of the whole file',
    schema: BYTE_COUNT,
  })
  @ApiHeader({
    name: 'Upload-Metadata',
    required: false,
    description: 'tus metadata; `filename` names the file',
  })
  @ApiConsumes(PATCH_CONTENT_TYPE)
  @ApiBody(firstBytes(false))
  @ApiResponse({
    status: 201,
    description: 'Created; Location is the upload URL',
    headers: {
      Location: {
        description: 'URL of the upload: PUBLIC_URL (with its path prefix) + /api/v1/uploads/{id}',
      },
      ...UPLOAD_OFFSET_OUT,
      ...UPLOAD_EXPIRES_OUT,
      ...FILE_ID_OUT,
    },
  })
  @ApiErrors(400, 412, 413, 422)
  create(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: AuthenticatedUser,
    @Client() client: ClientContext,
  ) {
    return this.handle(req, res, user, client);
  }

  @Head(':id')
  @ApiOperation({ summary: 'Where to resume: the offset durably stored' })
  @ApiParam({ name: 'id' })
  @ApiHeader(TUS_RESUMABLE)
  @ApiResponse({
    status: 200,
    description: 'The upload',
    headers: {
      ...UPLOAD_OFFSET_OUT,
      'Upload-Length': { schema: { type: 'integer' } },
      'Upload-Metadata': { description: 'As sent at creation' },
      ...UPLOAD_EXPIRES_OUT,
    },
  })
  @ApiErrors(400, 404, 410, 412)
  status(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: AuthenticatedUser,
    @Client() client: ClientContext,
  ) {
    return this.handle(req, res, user, client);
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Send bytes from Upload-Offset; the last ones complete the upload (scanned, then a ready file)',
  })
  @ApiParam({ name: 'id' })
  @ApiHeader(TUS_RESUMABLE)
  @ApiHeader({
    name: 'Upload-Offset',
    required: true,
    description: 'The offset HEAD reported',
    schema: BYTE_COUNT,
  })
  @ApiConsumes(PATCH_CONTENT_TYPE)
  @ApiBody(firstBytes(true))
  @ApiResponse({
    status: 204,
    description: 'Stored up to the returned offset',
    headers: { ...UPLOAD_OFFSET_OUT, ...UPLOAD_EXPIRES_OUT, ...FILE_ID_OUT },
  })
  @ApiErrors(400, 404, 409, 410, 412, 413, 415, 422)
  append(
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: AuthenticatedUser,
    @Client() client: ClientContext,
  ) {
    const bodyLength = byteCount(req.headers['content-length']);
    return this.asUploader(req, res, { user, client, bodyLength }, () =>
      this.patches.handle(id, req, res, bodyLength),
    );
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Terminate an unfinished upload: its bytes go, its reserved quota returns',
  })
  @ApiParam({ name: 'id' })
  @ApiHeader(TUS_RESUMABLE)
  @ApiResponse({ status: 204, description: 'Terminated' })
  @ApiErrors(400, 404, 410, 412)
  terminate(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: AuthenticatedUser,
    @Client() client: ClientContext,
  ) {
    return this.handle(req, res, user, client);
  }

  /** Creation, HEAD, DELETE and discovery are @tus/server's. */
  private handle(
    req: Request,
    res: Response,
    user: AuthenticatedUser,
    client: ClientContext,
  ): Promise<void> {
    const uploader = { user, client, bodyLength: byteCount(req.headers['content-length']) };
    return this.asUploader(req, res, uploader, () => this.tus.handle(req, res));
  }

  private async asUploader(
    req: Request,
    res: Response,
    uploader: Uploader,
    work: () => Promise<void>,
  ): Promise<void> {
    try {
      await runAsUploader(uploader, work);
    } catch (error) {
      // Refused before its body was read (a 409 to the loser of two writers, a 413): the rest of
      // the body is not wanted, and closing is how the client learns it without sending it all.
      if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
      throw error;
    }
  }
}
