import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AUDIT_OUTCOMES,
  FILE_ACCESS_EVENT_TYPES,
  type AuditOutcome,
  type FileAccessEventType,
} from '../audit-event-types';
import type { AuditEvent } from '../audit-event.schema';
import { AuditPageQuery } from './audit-query.dto';

/** One access to a file's bytes, as its owner sees it. */
export class FileActivityItem {
  @ApiProperty()
  at!: Date;

  @ApiProperty({
    enum: FILE_ACCESS_EVENT_TYPES,
    description: '`file_downloaded` by an account, `link_downloaded` through a share link',
  })
  type!: FileAccessEventType;

  @ApiPropertyOptional({ example: '6650f1c2a1b2c3d4e5f60718', description: 'The account' })
  userId?: string;

  @ApiPropertyOptional({ example: '6650f1c2a1b2c3d4e5f60719', description: 'The share link' })
  linkId?: string;

  @ApiPropertyOptional({
    example: 'ana@example.com',
    description: 'The address a named recipient verified with a one-time code',
  })
  recipient?: string;

  @ApiPropertyOptional({ example: '203.0.113.7' })
  ip?: string;

  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;

  static from(event: AuditEvent): FileActivityItem {
    return {
      at: event.at,
      type: event.type as FileAccessEventType,
      userId: event.actor?.userId,
      linkId: event.actor?.linkId,
      ...(typeof event.details?.recipient === 'string'
        ? { recipient: event.details.recipient }
        : {}),
      ip: event.actor?.ip,
      outcome: event.outcome,
    };
  }
}

export class FileActivityPage {
  @ApiProperty({ type: [FileActivityItem] })
  items!: FileActivityItem[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({ example: 3 })
  total!: number;
}

/** `GET /files/:id/activity?page&limit`. */
export class FileActivityQuery extends AuditPageQuery {}
