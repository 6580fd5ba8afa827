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
} from '@nestjs/common';
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
import {
  AddBundleFilesRequest,
  BundleResponse,
  CreateBundleRequest,
  UpdateBundleRequest,
} from './dto/bundle.dto';
import type { BundleDocument } from './bundle.schema';
import { BundlesService, type BundleWithFiles } from './bundles.service';

const bundleDetails = (bundle: BundleDocument, files?: BundleWithFiles['files']) => ({
  bundleId: bundle.id as string,
  bundleName: bundle.name,
  ...(files ? { fileIds: files.map((file) => file.id as string).join(',') } : {}),
});

/** The owner's bundles. Anyone else's bundle is 404, whoever asks. */
@ApiTags('bundles')
@ApiBearerAuth()
@ApiErrors(401, 404, 429, 503)
@Controller('bundles')
export class BundlesController {
  constructor(
    private readonly bundles: BundlesService,
    private readonly events: SecurityEventsService,
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
  @ApiOperation({ summary: 'Your bundles, newest first' })
  @ApiOkResponse({ type: [BundleResponse] })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<BundleResponse[]> {
    return (await this.bundles.list(user)).map((entry) => BundleResponse.from(entry));
  }

  @Get(':id')
  @RequiresScope('files:read')
  @ApiOperation({ summary: 'One of your bundles, with its files in order' })
  @ApiOkResponse({ type: BundleResponse })
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<BundleResponse> {
    return BundleResponse.from(await this.bundles.get(user, id));
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
