import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEmail,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Matches,
  Min,
} from 'class-validator';
import { OptionalProperty } from '@strongroom/common';
import { MAX_LINK_DOWNLOADS } from '@strongroom/link-policy';
import { AccountEmail, normalizeEmail } from '@strongroom/users';

/** The most named recipients one link may have. */
export const MAX_LINK_RECIPIENTS = 50;

/** Exactly one of `email` (a registered user) and `groupId` (a group the sharer can see). */
export class CreateShareRequest {
  @ApiPropertyOptional({ example: 'colleague@example.com', description: 'Share with one user' })
  @OptionalProperty()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeEmail(value) : value,
  )
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    example: '66f0c2a1b2c3d4e5f6a7b8c9',
    description: 'Share with every current member of a group you belong to (admins: any group)',
  })
  @OptionalProperty()
  @IsMongoId({ message: 'groupId must be a group id' })
  groupId?: string;
}

/** Whom a share reaches: one user, or a group (with its current name). */
abstract class ShareRecipientResponse {
  @ApiProperty()
  id!: string;

  @ApiPropertyOptional({ description: 'The user it is shared with (user shares)' })
  userId?: string;

  @ApiPropertyOptional({ description: 'The user it is shared with (user shares)' })
  email?: string;

  @ApiPropertyOptional({ description: 'The group it is shared with (group shares)' })
  groupId?: string;

  @ApiPropertyOptional({ description: 'The group’s current name (group shares)' })
  groupName?: string;

  @ApiProperty()
  createdAt!: Date;
}

export class ShareResponse extends ShareRecipientResponse {
  @ApiProperty()
  fileId!: string;
}

export class BundleShareResponse extends ShareRecipientResponse {
  @ApiProperty()
  bundleId!: string;
}

export class CreateLinkRequest {
  @ApiPropertyOptional({
    description: 'Defaults to now + LINK_DEFAULT_TTL; at most LINK_MAX_TTL away',
  })
  @OptionalProperty()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date' })
  expiresAt?: Date;

  @ApiPropertyOptional({
    minLength: 8,
    maxLength: 128,
    description: 'Required when LINK_REQUIRE_PASSWORD=true',
  })
  @OptionalProperty()
  @IsString()
  @Length(8, 128)
  password?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LINK_DOWNLOADS })
  @OptionalProperty()
  @IsInt()
  @Min(1)
  @Max(MAX_LINK_DOWNLOADS)
  maxDownloads?: number;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_LINK_RECIPIENTS,
    example: ['ana@example.com'],
    description:
      'Named recipients: only these addresses open the link, each with a six-digit code sent to it (needs SMTP_URL). Required where the link policy says verifyRecipients',
  })
  @OptionalProperty()
  @IsArray()
  @ArrayMaxSize(MAX_LINK_RECIPIENTS)
  @Transform(({ value }: { value: unknown }): unknown =>
    Array.isArray(value)
      ? value.map((item: unknown) => (typeof item === 'string' ? normalizeEmail(item) : item))
      : value,
  )
  @IsEmail({}, { each: true, message: 'each of recipients must be an email address' })
  @MaxLength(254, { each: true })
  recipients?: string[];
}

export class LinkResponse {
  @ApiProperty()
  id!: string;

  @ApiPropertyOptional({ description: 'The file a file link shares' })
  fileId?: string;

  @ApiPropertyOptional({ description: 'The bundle a bundle link shares' })
  bundleId?: string;

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty({ type: Number, nullable: true })
  maxDownloads!: number | null;

  @ApiProperty()
  downloads!: number;

  @ApiProperty()
  hasPassword!: boolean;

  @ApiProperty({
    type: [String],
    description: 'Named recipients who verify their address; empty: anyone with the link',
  })
  recipients!: string[];

  @ApiProperty()
  revoked!: boolean;

  @ApiProperty()
  createdAt!: Date;
}

export class CreatedLinkResponse extends LinkResponse {
  @ApiProperty({ description: 'Shown only here; only its hash is stored' })
  token!: string;

  @ApiProperty({ example: 'https://files.example.com/s/3q2-…' })
  url!: string;
}

export class PublicBundleFile {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: 'integer' })
  size!: number;

  @ApiProperty()
  contentType!: string;
}

export class PublicLinkInfo {
  @ApiProperty({
    enum: ['file', 'bundle'],
    description: 'bundle: files lists what it holds; get them one by one or as one ZIP (archive)',
  })
  kind!: 'file' | 'bundle';

  @ApiProperty({ description: 'The file’s name, or the bundle’s' })
  name!: string;

  @ApiProperty({ description: 'The file’s size, or the sum of the bundle’s files' })
  size!: number;

  @ApiProperty({ description: 'The file’s type; application/zip for a bundle (its archive)' })
  contentType!: string;

  @ApiPropertyOptional({ type: [PublicBundleFile], description: 'A bundle’s files, in order' })
  files?: PublicBundleFile[];

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty()
  requiresPassword!: boolean;

  @ApiProperty({
    description:
      'Only named recipients open it: ask for a code (verification), then confirm it (verification/confirm)',
  })
  requiresVerification!: boolean;
}

export class RecipientCodeRequest {
  @ApiProperty({ example: 'ana@example.com', format: 'email', maxLength: 254 })
  @AccountEmail()
  email!: string;
}

export class RecipientCodeAccepted {
  @ApiProperty({
    example: 'If this address may open the link, a code is on its way; it works for 10 minutes.',
  })
  message!: string;
}

export class RecipientVerificationRequest {
  @ApiProperty({ example: 'ana@example.com', format: 'email', maxLength: 254 })
  @AccountEmail()
  email!: string;

  @ApiProperty({ example: '042917', description: 'The six-digit code from the e-mail' })
  @IsString()
  @MaxLength(16)
  code!: string;

  @ApiPropertyOptional({ description: 'The link’s password, when it has one too' })
  @OptionalProperty()
  @IsString()
  @MaxLength(512)
  password?: string;
}

/** A link page's download button: on a bundle's page, which file (its id) or "archive". */
export class LinkPageDownloadRequest {
  @IsOptional()
  @IsString()
  @Matches(/^(archive|[0-9a-f]{24})$/, { message: 'item must be a file id or "archive"' })
  item?: string;
}

export class UnlockRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(512)
  password!: string;
}

export class UnlockResponse {
  @ApiProperty({ description: 'Valid for expiresIn seconds, for this link only' })
  downloadUrl!: string;

  @ApiProperty({ example: 300 })
  expiresIn!: number;
}

export class PublicContentQuery {
  @ApiPropertyOptional({ description: 'The grant from unlock, for password links' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  grant?: string;
}

/** What the caller's links and shares may be: LINK_* tightened by the link policy rules that apply to them. */
export class LinkPolicyResponse {
  @ApiProperty({
    description:
      'Lifetime of a link created without expiresAt (LINK_DEFAULT_TTL, at most maxTtlSeconds)',
    example: 604800,
  })
  defaultTtlSeconds!: number;

  @ApiProperty({
    description: 'The furthest expiresAt may be from now (LINK_MAX_TTL or a stricter rule)',
    example: 7776000,
  })
  maxTtlSeconds!: number;

  @ApiProperty({ description: 'Every link needs a password (LINK_REQUIRE_PASSWORD or a rule)' })
  requirePassword!: boolean;

  @ApiProperty({
    example: MAX_LINK_DOWNLOADS,
    description:
      'The largest maxDownloads a link may have; links without one get it when a rule caps downloads',
  })
  maxDownloadsLimit!: number;

  @ApiProperty({ description: 'Whether you may create public links at all' })
  publicLinksAllowed!: boolean;

  @ApiProperty({
    description: 'Every link must name its recipients (`recipients`), who unlock it with a code',
  })
  verifyRecipients!: boolean;

  @ApiProperty({
    type: [String],
    nullable: true,
    description: 'The only email domains you may share with; null: any',
  })
  allowedRecipientDomains!: string[] | null;
}
