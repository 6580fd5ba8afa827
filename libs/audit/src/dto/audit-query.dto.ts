import { ApiPropertyOptional } from '@nestjs/swagger';

import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsMongoId, IsOptional, Max, Min } from 'class-validator';
import { PageQuery } from '@strongroom/common';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit-event-types';

/** What @IsMongoId() accepts, for the document. */
const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';

export class AuditPageQuery extends PageQuery {}

export class ListAuditEventsQuery extends AuditPageQuery {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES })
  @IsOptional()
  @IsIn(AUDIT_EVENT_TYPES, { message: `type must be one of: ${AUDIT_EVENT_TYPES.join(', ')}` })
  type?: AuditEventType;

  @ApiPropertyOptional({
    example: '6650f1c2a1b2c3d4e5f60718',
    description: 'A user id or a share link id: the events it caused',
    pattern: OBJECT_ID_PATTERN,
  })
  @IsOptional()
  @IsMongoId({ message: 'actor must be a 24-character hex id' })
  actor?: string;

  @ApiPropertyOptional({ example: '6650f1c2a1b2c3d4e5f60718', pattern: OBJECT_ID_PATTERN })
  @IsOptional()
  @IsMongoId({ message: 'fileId must be a 24-character hex id' })
  fileId?: string;

  @ApiPropertyOptional({
    example: '2025-03-01T00:00:00Z',
    description: 'ISO 8601; inclusive',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({
    example: '2025-03-31T23:59:59Z',
    description: 'ISO 8601; inclusive',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date' })
  to?: string;
}

export class ExportAuditEventsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    example: 1200,
    default: 0,
    description: 'Resume after this sequence number: the last seq the consumer stored',
  })
  @IsOptional()
  // Not @Type(() => Number): that reads `after=` as 0, and a consumer that lost its position would
  // silently start over instead of hearing about it.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value,
  )
  @IsInt({ message: 'after must be a whole number' })
  @Min(0, { message: 'after must not be negative' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'after is too large' })
  after: number = 0;
}
