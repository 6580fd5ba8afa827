import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Head,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AuditTrail,
  FileActivityPage,
  FileActivityQuery,
  SecurityEventsService,
} from '@strongroom/audit';
import {
  ApiErrors,
  ApiFileContent,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
  RequiresScope,
} from '@strongroom/common';
import { UsersService } from '@strongroom/users';
import { FilePage, FileResponse, ListFilesQuery, RenameFileRequest } from './dto/file.dto';
import { FilesService } from './files.service';
import { FileUploadInterceptor, UPLOAD_FIELD } from './upload/file-upload.interceptor';
import { UploadPipeline } from './upload/upload-pipeline.service';
import type { UploadedBlob } from './upload/upload-storage-engine';

@ApiTags('files')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@Controller('files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly pipeline: UploadPipeline,
    private readonly events: SecurityEventsService,
    private readonly audit: AuditTrail,
    private readonly users: UsersService,
  ) {}

  @Post()
  @RequiresScope('files:write')
  @UseInterceptors(FileUploadInterceptor)
  @ApiOperation({
    summary:
      'Upload one file (multipart field "file"); answered once the bytes are durable and, with CLAMAV_HOST, scanned clean',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: [UPLOAD_FIELD],
      properties: { [UPLOAD_FIELD]: { type: 'string', format: 'binary' } },
    },
  })
  @ApiCreatedResponse({ type: FileResponse })
  @ApiErrors(400, 413, 415, 422)
  async upload(
    @Req() req: Request & { file?: Partial<UploadedBlob> },
    @CurrentUser() user: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<FileResponse> {
    const blob = req.file;
    if (
      !blob?.record ||
      blob.sha256 === undefined ||
      blob.size === undefined ||
      !blob.contentType
    ) {
      throw new BadRequestException(`No file: send it in the multipart field "${UPLOAD_FIELD}"`);
    }
    const ready = await this.pipeline.finish(
      { owner: user, name: blob.record.name, client, route: 'multipart' },
      blob.record,
      { size: blob.size, sha256: blob.sha256, contentType: blob.contentType },
    );
    return FileResponse.from(ready);
  }

  @Get()
  @RequiresScope('files:read')
  @ApiOperation({ summary: 'List files: mine, shared with me, or all (admins)' })
  @ApiOkResponse({ type: FilePage })
  @ApiErrors(400, 403)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListFilesQuery,
  ): Promise<FilePage> {
    const { items, total } = await this.files.list(user, query.toSearch());
    // Who shared each file is what a recipient needs to tell them apart.
    const owners =
      query.scope === 'shared'
        ? await this.users.emailsByIds(items.map((file) => file.uploader.toHexString()))
        : undefined;
    return {
      items: items.map((file) => FileResponse.from(file, owners?.get(file.uploader.toHexString()))),
      page: query.page,
      limit: query.limit,
      total,
    };
  }

  @Get(':id')
  @RequiresScope('files:read')
  @ApiOperation({ summary: 'A file’s metadata' })
  @ApiOkResponse({ type: FileResponse })
  @ApiErrors(404)
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<FileResponse> {
    return FileResponse.from(await this.files.getReadable(user, id));
  }

  @Get(':id/content')
  @RequiresScope('files:read')
  @ApiOperation({
    summary: 'Download the bytes; one Range gives 206, several the whole file; ETag is the sha256',
  })
  @ApiFileContent({ 200: 'The whole file', 206: 'The requested range' })
  @ApiResponse({ status: 304, description: 'If-None-Match matched the ETag' })
  @ApiErrors(404, 416, 500)
  async content(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
    @Client() client: ClientContext,
  ): Promise<void> {
    const file = await this.files.getReadable(user, id);
    if (await this.files.sendContent(req, res, file)) {
      await this.events.record({
        type: 'file_downloaded',
        client,
        actorId: user.id,
        fileId: file._id.toHexString(),
      });
    }
  }

  @Head(':id/content')
  @RequiresScope('files:read')
  @ApiOperation({ summary: 'The download’s headers without the bytes' })
  @ApiErrors(404, 416)
  async contentHeaders(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.files.getReadable(user, id);
    await this.files.sendContent(req, res, file, { headOnly: true });
  }

  @Patch(':id')
  @RequiresScope('files:write')
  @ApiOperation({ summary: 'Rename a file' })
  @ApiOkResponse({ type: FileResponse })
  @ApiErrors(400, 404)
  async rename(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: RenameFileRequest,
    @Client() client: ClientContext,
  ): Promise<FileResponse> {
    const renamed = await this.files.rename(user, id, body.name);
    await this.events.record({
      type: 'file_renamed',
      client,
      actorId: user.id,
      fileId: id,
      details: { name: renamed.name },
    });
    return FileResponse.from(renamed);
  }

  @Delete(':id')
  @RequiresScope('files:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'Delete a file; its storage is given back to the quota. 409 while a legal hold or retention rule keeps it, naming which',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404, 409)
  async delete(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.files.delete(user, id, client);
    await this.events.record({ type: 'file_deleted', client, actorId: user.id, fileId: id });
  }

  @Get(':id/activity')
  @RequiresScope('files:read')
  @ApiOperation({
    summary:
      'The owner’s access ledger: who downloaded the file, by account or by link, when and from where',
  })
  @ApiOkResponse({ type: FileActivityPage })
  @ApiErrors(400, 404)
  async activity(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Query() query: FileActivityQuery,
  ): Promise<FileActivityPage> {
    const file = await this.files.getAccessible(user, id, 'modify');
    return this.audit.ledgerForFile(file.id as string, query.page, query.limit);
  }
}
