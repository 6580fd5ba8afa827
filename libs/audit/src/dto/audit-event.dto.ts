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

export class RejectedCheckpointResponse {
  @ApiProperty({ example: 1000 })
  seq!: number;

  @ApiProperty({ example: '5b0e4c1d9a7f3e21' })
  keyId!: string;

  @ApiProperty({ enum: ['bad signature', 'signed by an unknown key'] })
  reason!: string;
}

export class UnreadableCheckpointResponse {
  @ApiProperty({ example: 'audit-checkpoints/c000000001000' })
  name!: string;

  @ApiProperty({ example: 'not JSON' })
  problem!: string;
}

export class CheckpointSummary {
  @ApiProperty({ example: 12, description: 'Signed checkpoints that verified under a trusted key' })
  verified!: number;

  @ApiPropertyOptional({ example: 12000, description: 'The newest one: up to here is proven' })
  lastSeq?: number;

  @ApiPropertyOptional()
  lastAt?: Date;

  @ApiProperty({ type: [RejectedCheckpointResponse] })
  rejected!: RejectedCheckpointResponse[];
}

export class NotYetCheckpointed {
  @ApiProperty({
    example: 42,
    description:
      'Events after the last checkpoint: intact as far as the chain shows, but a cut there would not show yet',
  })
  count!: number;

  @ApiPropertyOptional({ example: 12001 })
  fromSeq?: number;
}

export class ChainVerification {
  @ApiProperty({
    description:
      'Every event is in place, unchanged, in order, and agrees with every signed checkpoint',
  })
  valid!: boolean;

  @ApiProperty({ example: 42, description: 'Events checked' })
  count!: number;

  @ApiPropertyOptional({
    example: 17,
    description:
      'The first bad sequence number: an edited event, a missing one (a removed event, or the first of a cut-off tail), or the first of a rewritten stretch',
  })
  firstInvalidSeq?: number;

  @ApiPropertyOptional({
    example: 'the chain breaks here: an edited, missing or reordered event',
    description: 'What is wrong, when invalid',
  })
  reason?: string;

  @ApiPropertyOptional({ example: HASH_EXAMPLE, description: 'The newest event’s hash when valid' })
  headHash?: string;

  @ApiProperty({ type: CheckpointSummary })
  checkpoints!: CheckpointSummary;

  @ApiProperty({ type: NotYetCheckpointed })
  notYetCheckpointed!: NotYetCheckpointed;

  @ApiProperty({ type: [UnreadableCheckpointResponse] })
  unreadableCheckpoints!: UnreadableCheckpointResponse[];
}
