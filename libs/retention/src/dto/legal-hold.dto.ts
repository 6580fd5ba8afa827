import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { OptionalProperty } from '@strongroom/common';
import { HOLD_SUBJECTS, type HoldSubject, type LegalHoldDocument } from '../legal-hold.schema';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class PlaceHoldRequest {
  @ApiProperty({
    description: 'Why the hold is placed (the matter, the request); audited and shown in refusals',
    example: 'Litigation hold, matter 2026-114',
    minLength: 1,
    maxLength: 500,
  })
  @Transform(trimmed)
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ReleaseHoldRequest {
  @ApiPropertyOptional({
    description: 'Why the hold is released; audited',
    example: 'Matter 2026-114 closed',
    maxLength: 500,
  })
  @OptionalProperty()
  @Transform(trimmed)
  @IsString()
  @Length(0, 500)
  reason?: string;
}

export class LegalHoldResponse {
  @ApiProperty({
    enum: HOLD_SUBJECTS,
    description: 'A hold on one file, or on all of a user’s files',
  })
  subject!: HoldSubject;

  @ApiProperty({ description: 'The file id or the user id' })
  subjectId!: string;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ description: 'The id of the admin or auditor who placed it' })
  placedBy!: string;

  @ApiProperty()
  placedByEmail!: string;

  @ApiProperty()
  placedAt!: Date;

  static from(hold: LegalHoldDocument): LegalHoldResponse {
    return {
      subject: hold.subject,
      subjectId: hold.subjectId.toHexString(),
      reason: hold.reason,
      placedBy: hold.placedBy.toHexString(),
      placedByEmail: hold.placedByEmail,
      placedAt: hold.placedAt,
    };
  }
}
