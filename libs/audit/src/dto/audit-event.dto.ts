import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AUDIT_EVENT_TYPES,
  AUDIT_OUTCOMES,
  type AuditEventType,
  type AuditOutcome,
} from '../audit-event-types';
import type { AuditDetails, AuditEvent } from '../audit-event.schema';

const OBJECT_ID_EXAMPLE = '6650f1c2a1b2c3d4e5f60718';
const HASH_EXAMPLE = '3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b';

export class AuditActorResponse {
  @ApiPropertyOptional({ example: OBJECT_ID_EXAMPLE, description: 'The account that acted' })
  userId?: string;

  @ApiPropertyOptional({ example: OBJECT_ID_EXAMPLE, description: 'The share link used' })
  linkId?: string;

  @ApiPropertyOptional({ example: '203.0.113.7', description: 'Client IP, through TRUST_PROXY' })
  ip?: string;
}

export class AuditTargetResponse {
  @ApiPropertyOptional({ example: OBJECT_ID_EXAMPLE })
  userId?: string;

  @ApiPropertyOptional({ example: OBJECT_ID_EXAMPLE })
  fileId?: string;

  @ApiPropertyOptional({ example: OBJECT_ID_EXAMPLE })
  shareId?: string;

  @ApiPropertyOptional({ example: OBJECT_ID_EXAMPLE })
  linkId?: string;
}

/** One event of the chain, with the hashes an auditor can check independently. */
export class AuditEventResponse {
  @ApiProperty({ example: 42, description: 'Position in the chain, from 1 without gaps' })
  seq!: number;

  @ApiProperty()
  at!: Date;

  @ApiProperty({ enum: AUDIT_EVENT_TYPES })
  type!: AuditEventType;

  @ApiProperty({ type: AuditActorResponse })
  actor!: AuditActorResponse;

  @ApiProperty({ type: AuditTargetResponse })
  target!: AuditTargetResponse;

  @ApiProperty({ enum: AUDIT_OUTCOMES })
  outcome!: AuditOutcome;

  @ApiPropertyOptional({ example: '5f1c2a7e-9a4b-4d43-a3f0-3c2a1e0b9d11' })
  requestId?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: {
      oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
      nullable: true,
    },
    example: { from: 'user', to: 'auditor' },
  })
  details!: AuditDetails;

  @ApiProperty({
    example: HASH_EXAMPLE,
    description: 'The previous event’s hash (64 zeros for the first)',
  })
  prevHash!: string;

  @ApiProperty({ example: HASH_EXAMPLE, description: 'SHA-256 over prevHash and this event' })
  hash!: string;

  static from(event: AuditEvent): AuditEventResponse {
    return {
      seq: event.seq,
      at: event.at,
      type: event.type,
      actor: { ...event.actor },
      target: { ...event.target },
      outcome: event.outcome,
      requestId: event.requestId,
      details: { ...event.details },
      prevHash: event.prevHash,
      hash: event.hash,
    };
  }
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventResponse] })
  items!: AuditEventResponse[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({ example: 42 })
  total!: number;
}

export class ChainVerification {
  @ApiProperty({ description: 'Every event is in place, unchanged, and in order' })
  valid!: boolean;

  @ApiProperty({ example: 42, description: 'Events checked' })
  count!: number;

  @ApiPropertyOptional({
    example: 17,
    description: 'Where the chain breaks: an edited event, or the number of a missing one',
  })
  firstInvalidSeq?: number;

  @ApiPropertyOptional({
    example: HASH_EXAMPLE,
    description:
      'The newest event’s hash when valid; keep a copy elsewhere to detect deleted newest events',
  })
  headHash?: string;
}
