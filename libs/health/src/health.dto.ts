import { ApiProperty } from '@nestjs/swagger';

export class HealthSummary {
  @ApiProperty({ enum: ['healthy', 'unhealthy'] })
  status!: 'healthy' | 'unhealthy';

  @ApiProperty({ example: '2026-11-28T09:00:00.000Z' })
  timestamp!: string;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ example: { database: 'up', storage: 'up' } })
  checks!: Record<string, 'up' | 'down'>;
}

export class TerminusResult {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ example: { database: { status: 'up' } } })
  info?: Record<string, unknown>;

  @ApiProperty({ example: {} })
  error?: Record<string, unknown>;

  @ApiProperty({ example: { database: { status: 'up' } } })
  details!: Record<string, unknown>;
}
