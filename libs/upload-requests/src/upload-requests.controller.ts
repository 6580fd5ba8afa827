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
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  CurrentUser,
  RequiresScope,
} from '@strongroom/common';
import {
  CreatedUploadRequestResponse,
  CreateUploadRequestRequest,
  UpdateUploadRequestRequest,
  UploadRequestDetails,
  UploadRequestPage,
  UploadRequestResponse,
} from './dto/upload-request.dto';
import { toUploadRequestResponse, UploadRequestsService } from './upload-requests.service';

/** The requester's side of upload requests. Another user's request is 404, as if it did not exist. */
@ApiTags('upload requests')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@Controller('upload-requests')
export class UploadRequestsController {
  constructor(private readonly requests: UploadRequestsService) {}

  @Post()
  @RequiresScope('files:write')
  @ApiOperation({
    summary:
      'Create an upload request: a link through which anyone holding it sends files into your space',
  })
  @ApiCreatedResponse({ type: CreatedUploadRequestResponse })
  @ApiErrors(400)
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: CreateUploadRequestRequest,
    @Client() client: ClientContext,
  ): Promise<CreatedUploadRequestResponse> {
    const { counted, token, url } = await this.requests.create(user, body, client);
    return { ...toUploadRequestResponse(counted), token, url };
  }

  @Get()
  @RequiresScope('files:read')
  @ApiOperation({ summary: 'Your upload requests, newest first, with what each has received' })
  @ApiOkResponse({ type: UploadRequestPage })
  async list(@CurrentUser() user: AuthenticatedUser): Promise<UploadRequestPage> {
    return { items: (await this.requests.list(user)).map(toUploadRequestResponse) };
  }

  @Get(':id')
  @RequiresScope('files:read')
  @ApiOperation({ summary: 'One of your upload requests, with the files it has received' })
  @ApiOkResponse({ type: UploadRequestDetails })
  @ApiErrors(404)
  async get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
  ): Promise<UploadRequestDetails> {
    const counted = await this.requests.get(user, id);
    return {
      ...toUploadRequestResponse(counted),
      received: await this.requests.received(counted.request),
    };
  }

  @Patch(':id')
  @RequiresScope('files:write')
  @ApiOperation({
    summary: 'Change a request: title, message, expiry, limits, password (null removes a limit)',
  })
  @ApiOkResponse({ type: UploadRequestResponse })
  @ApiErrors(400, 404)
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: UpdateUploadRequestRequest,
    @Client() client: ClientContext,
  ): Promise<UploadRequestResponse> {
    return toUploadRequestResponse(await this.requests.update(user, id, body, client));
  }

  @Post(':id/close')
  @HttpCode(HttpStatus.OK)
  @RequiresScope('files:write')
  @ApiOperation({ summary: 'Stop taking files at once; the link then answers 410' })
  @ApiOkResponse({ type: UploadRequestResponse })
  @ApiErrors(404)
  async close(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Client() client: ClientContext,
  ): Promise<UploadRequestResponse> {
    return toUploadRequestResponse(await this.requests.close(user, id, client));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequiresScope('files:write')
  @ApiOperation({
    summary: 'Delete a request; its link answers 404, the files it brought stay in your files',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(404)
  async delete(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.requests.delete(user, id, client);
  }
}
