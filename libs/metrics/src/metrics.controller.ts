import { Controller, Get, Inject, Res, UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { ApiErrors, Public } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';

const digest = (text: string) => createHash('sha256').update(text).digest();

@ApiTags('operations')
@Controller()
export class MetricsController extends PrometheusController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  @Get()
  @Public()
  @SkipThrottle()
  @ApiOperation({ summary: 'Prometheus metrics in the text exposition format' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics', schema: { type: 'string' } })
  @ApiErrors(401)
  override async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    this.assertScraperAllowed(response.req.headers.authorization);
    return super.index(response);
  }

  /** With METRICS_TOKEN set (always in production), only a scraper holding it may read. */
  private assertScraperAllowed(authorization: string | undefined): void {
    const expected = this.config.metricsToken;
    if (expected === undefined) return;
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(expected))) {
      throw new UnauthorizedException(
        'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>"',
      );
    }
  }
}
