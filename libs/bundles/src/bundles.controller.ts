import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { SecurityEventsService } from '@strongroom/audit';
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
  RequiresScope,
} from '@strongroom/common';
import { FilesService } from '@strongroom/files';
import { UsersService } from '@strongroom/users';
import {
  AddBundleFilesRequest,
  BundlePage,
  BundleResponse,
  CreateBundleRequest,
  ListBundlesQuery,
  UpdateBundleRequest,
} from './dto/bundle.dto';
import { sendZipArchive } from './bundle-archive';
import type { BundleDocument } from './bundle.schema';
import { BundlesService, type BundleWithFiles } from './bundles.service';

const bundleDetails = (bundle: BundleDocument, files?: BundleWithFiles['files']) => ({
  bundleId: bundle.id as string,
  bundleName: bundle.name,
  ...(files ? { fileIds: files.map((file) => file.id as string).join(',') } : {}),
});

/**
 * The owner's bundles; those shared with the caller may be listed, opened and downloaded too.
 * Any other bundle is 404, whoever asks.
 */
@ApiTags('bundles')
@ApiExtraModels(BundleResponse, BundlePage)
@ApiBearerAuth()
@ApiErrors(401, 404, 429, 503)
@Controller('bundles')
export class BundlesController {
  constructor(
    private readonly bundles: BundlesService,
    private readonly events: SecurityEventsService,
    private readonly files: FilesService,
    private readonly users: UsersService,
  ) {}

  @Post()
  @RequiresScope('files:write')
  @ApiOperation({ summary: 'Create a bundle of your own files' })
  @ApiCreatedResponse({ type: BundleResponse })
  @ApiErrors(400, 422)
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateBundleRequest,
    @Client() client: ClientContext,
  ): Promise<BundleResponse> {
    const created = await this.bundles.create(user, body);
    await this.record('bundle_created', user, client, created);
    return BundleResponse.from(created);
  }

  @Get()
  @RequiresScope('files:read')
  @ApiOperation({
    summary:
      'Your bundles, newest first (an array); with scope=shared, other people’s bundles shared with you or your groups (paged)',
  })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: getSchemaPath(BundleResponse) } },
        { $ref: getSchemaPath(BundlePage) },
      ],
    },
  })
  @ApiErrors(400)
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListBundlesQuery,
  ): Promise<BundleResponse[] | BundlePage> {
    if (query.scope === 'mine') {
      return (await this.bundles.list(user)).map((entry) => BundleResponse.from(entry));
    }
    const { items, total } = await this.bundles.sharedWith(user, query);
    const owners = await this.users.emailsByIds(
      items.map(({ bundle }) => bundle.ownerId.toHexString()),
    );
    return {
      items: items.map((entry) =>
        BundleResponse.from(entry, owners.get(entry.bundle.ownerId.toHexString()) ?? ''),
      ),
      page: query.page,
      limit: query.limit,
      total,
    };
  }

  @Get(':id')
  @RequiresScope('files:read')
  @ApiOperation({
    summary:
      'A bundle, yours or shared with you, with its files in order (each downloadable at /files/{fileId}/content)',
  })
  @ApiOkResponse({ type: BundleResponse })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<BundleResponse> {
    const readable = await this.bundles.readable(user, id);
    const ownerId = readable.bundle.ownerId.toHexString();
    if (ownerId === user.id) return BundleResponse.from(readable);
    const owners = await this.users.emailsByIds([ownerId]);
    return BundleResponse.from(readable, owners.get(ownerId) ?? '');
  }

  @Get(':id/archive')
  @RequiresScope('files:read')
  @ApiOperation({
    summary:
      'Download all the files of a bundle, yours or shared with you, as one ZIP, streamed (stored, ZIP64 when needed)',
  })
  @ApiResponse({
    status: 200,
    description: 'The ZIP, one entry per file, with unique flat names',
    content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(500)
  async archive(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Res() res: Response,
    @Client() client: ClientContext,
  ): Promise<void> {
    const { bundle, files } = await this.bundles.readable(user, id);
    const reader = {
      client,
      actorId: user.id,
      details: { bundleId: bundle.id as string },
      responseStarted: () => res.headersSent,
    };
    const completed = await sendZipArchive(res, bundle.name, files, (file) =>
      this.files.openContent(file, reader),
    );
    if (!completed) return;
    await this.events.record({
      type: 'bundle_archive_downloaded',
      client,
      actorId: user.id,
      details: bundleDetails(bundle, files),
    });
  }

  @Patch(':id')
  @RequiresScope('files:write')
  @ApiOperation({
    summary: 'Rename a bundle, or set its whole file list (add, remove and reorder in one)',
  })
  @ApiOkResponse({ type: BundleResponse })
  @ApiErrors(400, 422)
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: UpdateBundleRequest,
    @Client() client: ClientContext,
  ): Promise<BundleResponse> {
    const updated = await this.bundles.update(user, id, body);
    await this.record('bundle_updated', user, client, updated);
    return BundleResponse.from(updated);
  }

  @Delete(':id')
  @RequiresScope('files:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a bundle (its files stay); its links and shares end at once' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async delete(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    const bundle = await this.bundles.delete(user, id);
    await this.record('bundle_deleted', user, client, { bundle });
  }

  @Post(':id/files')
  @RequiresScope('files:write')
  @ApiOperation({ summary: 'Append files to a bundle; files already in it keep their place' })
  @ApiCreatedResponse({ type: BundleResponse })
  @ApiErrors(400, 422)
  async addFiles(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: AddBundleFilesRequest,
    @Client() client: ClientContext,
  ): Promise<BundleResponse> {
    const updated = await this.bundles.addFiles(user, id, body.fileIds);
    await this.record('bundle_updated', user, client, updated);
    return BundleResponse.from(updated);
  }

  @Delete(':id/files/:fileId')
  @RequiresScope('files:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Take a file out of a bundle (the file itself stays)' })
  @ApiNoContentResponse({ description: 'Removed' })
  async removeFile(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('fileId') fileId: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.bundles.removeFile(user, id, fileId);
    await this.record('bundle_updated', user, client, await this.bundles.get(user, id));
  }

  private record(
    type: 'bundle_created' | 'bundle_updated' | 'bundle_deleted',
    user: AuthenticatedUser,
    client: ClientContext,
    { bundle, files }: { bundle: BundleDocument; files?: BundleWithFiles['files'] },
  ): Promise<void> {
    return this.events.record({
      type,
      client,
      actorId: user.id,
      details: bundleDetails(bundle, files),
    });
  }
}
