import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsInt, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { OptionalProperty } from '@strongroom/common';

export const MAX_REQUEST_FILES = 10_000;
const MAX_TITLE = 200;
const MAX_MESSAGE = 2_000;

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;
/** Absent leaves a field as it is; null clears it (no limit, no message, no password). */
const NullableProperty = () => ValidateIf((_object: object, value: unknown) => value != null);

export class CreateUploadRequestRequest {
  @ApiProperty({ example: 'Scans for the Q3 audit', minLength: 1, maxLength: MAX_TITLE })
  @Transform(trimmed)
  @IsString()
  @Length(1, MAX_TITLE, { message: `title must be 1 to ${MAX_TITLE} characters long` })
  title!: string;

  @ApiPropertyOptional({
    maxLength: MAX_MESSAGE,
    description: 'Shown to the people who open the link, as plain text',
  })
  @OptionalProperty()
  @IsString()
  @MaxLength(MAX_MESSAGE)
  message?: string;

  @ApiPropertyOptional({
    description: 'Defaults to now + LINK_DEFAULT_TTL; at most LINK_MAX_TTL away (the link policy)',
  })
  @OptionalProperty()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date' })
  expiresAt?: Date;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_REQUEST_FILES,
    description: 'How many files the request takes in all; absent: no limit',
  })
  @OptionalProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_REQUEST_FILES)
  maxFiles?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'Bytes the request takes in all; absent: only your quota limits it',
  })
  @OptionalProperty()
  @IsInt()
  @Min(1)
  maxTotalSize?: number;

  @ApiPropertyOptional({
    minLength: 8,
    maxLength: 128,
    description: 'Visitors must enter it before they can upload; required by LINK_REQUIRE_PASSWORD',
  })
  @OptionalProperty()
  @IsString()
  @Length(8, 128)
  password?: string;
}

export class UpdateUploadRequestRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_TITLE })
  @OptionalProperty()
  @Transform(trimmed)
  @IsString()
  @Length(1, MAX_TITLE, { message: `title must be 1 to ${MAX_TITLE} characters long` })
  title?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_MESSAGE })
  @NullableProperty()
  @IsString()
  @MaxLength(MAX_MESSAGE)
  message?: string | null;

  @ApiPropertyOptional({ description: 'Within the link policy’s maximum, from now' })
  @OptionalProperty()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date' })
  expiresAt?: Date;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: MAX_REQUEST_FILES })
  @NullableProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_REQUEST_FILES)
  maxFiles?: number | null;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1 })
  @NullableProperty()
  @IsInt()
  @Min(1)
  maxTotalSize?: number | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    minLength: 8,
    maxLength: 128,
    description: 'A new password; null removes it (unless the link policy requires one)',
  })
  @NullableProperty()
  @IsString()
  @Length(8, 128)
  password?: string | null;
}

export const UPLOAD_REQUEST_STATES = ['open', 'full', 'expired', 'closed'] as const;
export type UploadRequestState = (typeof UPLOAD_REQUEST_STATES)[number];

export class UploadRequestResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty({ type: Number, nullable: true })
  maxFiles!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Bytes' })
  maxTotalSize!: number | null;

  @ApiProperty()
  hasPassword!: boolean;

  @ApiProperty({
    enum: UPLOAD_REQUEST_STATES,
    description: 'open; full (maxFiles or maxTotalSize reached); expired; closed by its owner',
  })
  state!: UploadRequestState;

  @ApiProperty({ description: 'Files received so far' })
  files!: number;

  @ApiProperty({ description: 'Bytes received so far' })
  bytes!: number;

  @ApiProperty({ type: Date, nullable: true })
  closedAt!: Date | null;

  @ApiProperty()
  createdAt!: Date;
}

export class CreatedUploadRequestResponse extends UploadRequestResponse {
  @ApiProperty({ description: 'Shown only here; only its hash is stored' })
  token!: string;

  @ApiProperty({ example: 'https://files.example.com/r/3q2-…' })
  url!: string;
}

export class ReceivedFile {
  @ApiProperty({
    description: 'The file in your files (GET /api/v1/files/:id), unless deleted since',
  })
  fileId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  size!: number;

  @ApiProperty()
  receivedAt!: Date;
}

export class UploadRequestDetails extends UploadRequestResponse {
  @ApiProperty({ type: [ReceivedFile], description: 'What the request has received, oldest first' })
  received!: ReceivedFile[];
}

export class UploadRequestPage {
  @ApiProperty({ type: [UploadRequestResponse] })
  items!: UploadRequestResponse[];
}

export class VisitorUpload {
  @ApiProperty({ example: 'scan-001.pdf' })
  name!: string;

  @ApiProperty()
  size!: number;

  @ApiProperty()
  uploadedAt!: Date;
}

export class Requester {
  @ApiProperty({ example: 'marta@example.com' })
  email!: string;

  @ApiPropertyOptional({ example: 'Marta Diaz' })
  displayName?: string;
}

export class PublicUploadRequestInfo {
  @ApiProperty()
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  message!: string | null;

  @ApiProperty({ type: Requester, description: 'Who asks for the files' })
  requester!: Requester;

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty()
  requiresPassword!: boolean;

  @ApiProperty({ description: 'False until the password was entered in this visit' })
  unlocked!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'null: no limit' })
  filesLeft!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Bytes; null: no limit of the request',
  })
  bytesLeft!: number | null;

  @ApiProperty({ description: 'The largest single file (MAX_FILE_SIZE)' })
  maxFileSize!: number;

  @ApiProperty({
    type: [VisitorUpload],
    description: 'What this visit (this browser’s cookie) has sent; never anything else',
  })
  uploads!: VisitorUpload[];
}

export class UnlockUploadRequestRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password!: string;
}
