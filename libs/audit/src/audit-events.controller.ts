import { BadRequestException, Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { ApiErrors, RequiresScope, Roles } from '@strongroom/common';
import { AuditTrail } from './audit-trail.service';
import { AuditExport } from './checkpoints/audit-export.service';
import { AuditVerifier } from './checkpoints/audit-verifier.service';
import { AuditEventPage, ChainVerification } from './dto/audit-event.dto';
import { ExportAuditEventsQuery, ListAuditEventsQuery } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin', 'auditor')
@ApiErrors(401, 403, 429, 503)
@RequiresScope('audit:read')
@Controller('audit-events')
export class AuditEventsController {
  constructor(
    private readonly trail: AuditTrail,
    private readonly verifier: AuditVerifier,
    private readonly exporter: AuditExport,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Query the audit trail, newest first (filters combine: type, actor, file, time range)',
    description:
      'Newest first by sequence number; with `from` or `to`, by time (`at`), the sequence ' +
      'number breaking ties.',
  })
  @ApiOkResponse({ type: AuditEventPage })
  @ApiErrors(400)
  list(@Query() query: ListAuditEventsQuery): Promise<AuditEventPage> {
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from > to) throw new BadRequestException('from must not be after to');
    return this.trail.query(
      { type: query.type, actor: query.actor, fileId: query.fileId, from, to },
      query.page,
      query.limit,
    );
  }

  @Get('verify')
  @ApiOperation({
    summary:
      'Recompute the hash chain over every event and hold it against the signed checkpoints in storage: invalid when an event was edited, removed, reordered or rewritten, or the newest ones were cut off',
  })
  @ApiOkResponse({ type: ChainVerification })
  verify(): Promise<ChainVerification> {
    return this.verifier.verify();
  }

  @Get('export')
  @ApiOperation({
    summary:
      'The audit trail as NDJSON, oldest first, streamed: event lines ("kind":"event") and, after the event each one signs, checkpoint lines ("kind":"checkpoint"); resume with after = the last seq stored',
  })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'One JSON object per line', schema: { type: 'string' } })
  @ApiErrors(400)
  export(@Query() query: ExportAuditEventsQuery): StreamableFile {
    const file = new StreamableFile(Readable.from(this.exporter.lines(query.after)), {
      type: 'application/x-ndjson; charset=utf-8',
    });
    return file.setErrorHandler((_error, handlerResponse) => {
      const res = handlerResponse as unknown as Response;
      if (res.headersSent) {
        // Cut the transfer short, so a consumer cannot take a partial export for a whole one.
        res.destroy();
        return;
      }
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the audit trail could not be read; try again',
      });
    });
  }
}
