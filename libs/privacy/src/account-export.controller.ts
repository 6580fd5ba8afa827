import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Controller, Get, Logger, NotFoundException, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { Response } from 'express';
import { SecurityEventsService } from '@strongroom/audit';
import {
  ApiErrors,
  type AuthenticatedUser,
  Client,
  type ClientContext,
  clientWentAway,
  CurrentUser,
} from '@strongroom/common';
import { AccountExportService } from './account-export.service';
import { AccountExport } from './dto/account-export.dto';

const logger = new Logger('AccountExport');

@ApiTags('users')
@ApiBearerAuth()
@ApiErrors(401, 429, 503)
@Controller('users/me/export')
export class AccountExportController {
  constructor(
    private readonly exports: AccountExportService,
    private readonly events: SecurityEventsService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Everything kept about the caller (GDPR right of access): account, files’ metadata, shares given and received, group shares and memberships, links, sessions, API keys (never their secrets), second factors and audit events; streamed as one JSON attachment',
  })
  @ApiProduces('application/json')
  @ApiOkResponse({ type: AccountExport })
  async export(
    @CurrentUser() caller: AuthenticatedUser,
    @Client() client: ClientContext,
    @Res() res: Response,
  ): Promise<void> {
    const body = await this.exports.open(caller.id);
    if (!body) throw new NotFoundException('Account not found');
    const day = new Date().toISOString().slice(0, 10);
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      contentDisposition(`strongroom-account-${day}.json`, { type: 'attachment' }),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Once the first byte is out, a failure can only cut the response short: the client sees
    // truncated JSON, never a document that looks complete.
    const delivered = await pipeline(Readable.from(body), res).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        // A client that hangs up is no fault; anything else (the database mid-export) is logged.
        if (!clientWentAway(error)) logger.error(error);
        res.destroy();
        return false;
      },
    );
    if (delivered) {
      await this.events.record({ type: 'account_exported', client, actorId: caller.id });
    }
  }
}
