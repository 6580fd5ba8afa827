import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
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
  Roles,
} from '@strongroom/common';
import { LegalHoldResponse, PlaceHoldRequest, ReleaseHoldRequest } from '@strongroom/retention';
import { FileHoldsService } from './file-holds.service';

/**
 * Legal holds on one file or on all of a user's files. While a hold stands no one can delete
 * what it covers (owner, admin, user erasure, sweeper): each refusal is a 409 naming the hold.
 */
@ApiTags('legal holds')
@ApiBearerAuth()
@Roles('admin', 'auditor')
@ApiErrors(400, 401, 403, 404, 429, 503)
@Controller()
export class LegalHoldsController {
  constructor(private readonly holds: FileHoldsService) {}

  @Put('files/:id/hold')
  @ApiOperation({
    summary:
      'Place a legal hold on a file, or restate its reason; the file cannot be deleted until it is released',
  })
  @ApiOkResponse({ type: LegalHoldResponse })
  async placeOnFile(
    @Param('id') id: string,
    @Body() body: PlaceHoldRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<LegalHoldResponse> {
    return LegalHoldResponse.from(await this.holds.place('file', id, body.reason, actor, client));
  }

  @Delete('files/:id/hold')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Release the legal hold on a file (404 when it has none)' })
  @ApiBody({ type: ReleaseHoldRequest, required: false })
  @ApiNoContentResponse({ description: 'Released' })
  async releaseOnFile(
    @Param('id') id: string,
    @Body() body: ReleaseHoldRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.holds.release('file', id, body.reason, actor, client);
  }

  @Put('users/:id/hold')
  @ApiOperation({
    summary:
      'Place a legal hold on all of a user’s files, today’s and those uploaded later; erasing the user then keeps them',
  })
  @ApiOkResponse({ type: LegalHoldResponse })
  async placeOnUser(
    @Param('id') id: string,
    @Body() body: PlaceHoldRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<LegalHoldResponse> {
    return LegalHoldResponse.from(await this.holds.place('user', id, body.reason, actor, client));
  }

  @Delete('users/:id/hold')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Release the legal hold on all of a user’s files (404 when none)' })
  @ApiBody({ type: ReleaseHoldRequest, required: false })
  @ApiNoContentResponse({ description: 'Released' })
  async releaseOnUser(
    @Param('id') id: string,
    @Body() body: ReleaseHoldRequest,
    @CurrentUser() actor: AuthenticatedUser,
    @Client() client: ClientContext,
  ): Promise<void> {
    await this.holds.release('user', id, body.reason, actor, client);
  }
}
