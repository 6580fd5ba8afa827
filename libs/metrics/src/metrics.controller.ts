import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from '@strongroom/common';

@ApiTags('operations')
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public()
  @SkipThrottle()
  @ApiOperation({ summary: 'Prometheus metrics in the text exposition format' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics', schema: { type: 'string' } })
  override async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
