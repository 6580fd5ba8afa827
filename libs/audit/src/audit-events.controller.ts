import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, RequiresScope, Roles } from '@strongroom/common';
import { AuditTrail } from './audit-trail.service';
import { AuditEventPage, ChainVerification } from './dto/audit-event.dto';
import { ListAuditEventsQuery } from './dto/audit-query.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin', 'auditor')
@ApiErrors(401, 403, 429, 503)
@RequiresScope('audit:read')
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly trail: AuditTrail) {}

  @Get()
  @ApiOperation({
    summary: 'Query the audit trail, newest first (filters combine: type, actor, file, time range)',
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
      'Recompute the hash chain over every event: invalid when one was edited, deleted or reordered',
  })
  @ApiOkResponse({ type: ChainVerification })
  verify(): Promise<ChainVerification> {
    return this.trail.verify();
  }
}
