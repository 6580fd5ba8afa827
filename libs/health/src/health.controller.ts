import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Public } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { HealthSummary, TerminusResult } from './health.dto';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Overall health with version, for people and uptime monitors' })
  @ApiOkResponse({ type: HealthSummary })
  @ApiServiceUnavailableResponse({ type: HealthSummary, description: 'A dependency is down' })
  async summary(@Res({ passthrough: true }) res: Response): Promise<HealthSummary> {
    const { ready, result } = await this.readiness.check();
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    const checks = Object.fromEntries(
      Object.entries(result.details).map(
        ([name, detail]) => [name, detail.status === 'up' ? 'up' : 'down'] as const,
      ),
    );
    return {
      status: ready ? 'healthy' : 'unhealthy',
      timestamp: new Date().toISOString(),
      version: this.config.version,
      checks,
    };
  }

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the process answers (Kubernetes livenessProbe)' })
  @ApiOkResponse({ type: TerminusResult })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'Readiness: database, storage and, when configured, clamd, Redis and the KMS reachable (Kubernetes readinessProbe)',
  })
  @ApiOkResponse({ type: TerminusResult })
  @ApiServiceUnavailableResponse({
    type: TerminusResult,
    description: 'Database, storage, clamd, Redis or the KMS is down',
  })
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    const { ready, result } = await this.readiness.check();
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return result;
  }
}
