import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, Roles } from '@strongroom/common';
import { InstanceStats, InstanceStatsQuery } from './dto/instance-stats.dto';
import { InstanceStatsService } from './instance-stats.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors(401, 403, 429, 503)
@Controller('admin/stats')
export class InstanceStatsController {
  constructor(private readonly stats: InstanceStatsService) {}

  @Get()
  @ApiOperation({
    summary:
      'The instance at a glance: accounts, files and bytes stored, the largest accounts, and uploads and bytes per UTC day',
  })
  @ApiOkResponse({ type: InstanceStats })
  @ApiErrors(400)
  get(@Query() query: InstanceStatsQuery): Promise<InstanceStats> {
    return this.stats.stats(query.days);
  }
}
