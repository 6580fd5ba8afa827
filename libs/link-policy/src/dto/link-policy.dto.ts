import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsFQDN,
  IsIn,
  IsInt,
  IsMongoId,
  IsOptional,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { OptionalProperty, ROLES, type Role } from '@strongroom/common';
import { MAX_LINK_DOWNLOADS } from '../effective-link-policy';
import type { LinkPolicyRuleDocument } from '../link-policy-rule.schema';

const lowerCaseDomains = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? (value as unknown[]).map((entry) =>
        typeof entry === 'string' ? entry.trim().toLowerCase() : entry,
      )
    : value;

/** The limits a rule may set; null clears one, so it falls back to the other rules and LINK_*. */
export class LinkPolicyLimits {
  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 60,
    description: 'Longest link lifetime in seconds; at most LINK_MAX_TTL',
    example: 604800,
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(60)
  maxTtlSeconds?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Every link needs a password' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsBoolean()
  requirePassword?: boolean | null;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: MAX_LINK_DOWNLOADS,
    description: 'Most downloads a link may allow; links without a limit get this one',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_LINK_DOWNLOADS)
  maxDownloads?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'false forbids public links altogether' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsBoolean()
  publicLinks?: boolean | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      'Every link names its recipients, who unlock it with a one-time code sent to their address',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsBoolean()
  verifyRecipients?: boolean | null;

  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    maxItems: 100,
    description: 'Shares only with addresses at these domains (exact match)',
    example: ['example.com'],
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(lowerCaseDomains)
  @IsArray()
  @ArrayMaxSize(100)
  @IsFQDN({}, { each: true, message: 'each allowedRecipientDomains entry must be a domain name' })
  allowedRecipientDomains?: string[] | null;
}

/** Exactly one of `role` and `groupId`. */
export class CreateLinkPolicyRequest extends LinkPolicyLimits {
  @ApiPropertyOptional({ enum: ROLES, description: 'The role the rule applies to' })
  @OptionalProperty()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'The group whose members the rule applies to' })
  @OptionalProperty()
  @IsMongoId({ message: 'groupId must be a group id' })
  groupId?: string;
}

export class UpdateLinkPolicyRequest extends LinkPolicyLimits {}

export class LinkPolicyRuleResponse {
  @ApiProperty()
  id!: string;

  @ApiPropertyOptional({ enum: ROLES })
  role?: Role;

  @ApiPropertyOptional()
  groupId?: string;

  @ApiProperty({ type: 'integer', nullable: true })
  maxTtlSeconds!: number | null;

  @ApiProperty({ nullable: true })
  requirePassword!: boolean | null;

  @ApiProperty({ type: 'integer', nullable: true })
  maxDownloads!: number | null;

  @ApiProperty({ nullable: true })
  publicLinks!: boolean | null;

  @ApiProperty({ nullable: true })
  verifyRecipients!: boolean | null;

  @ApiProperty({ type: [String], nullable: true })
  allowedRecipientDomains!: string[] | null;

  @ApiProperty()
  updatedAt!: Date;

  static from(rule: LinkPolicyRuleDocument): LinkPolicyRuleResponse {
    return {
      id: rule.id as string,
      ...(rule.role ? { role: rule.role } : {}),
      ...(rule.groupId ? { groupId: rule.groupId.toHexString() } : {}),
      maxTtlSeconds: rule.maxTtlSeconds,
      requirePassword: rule.requirePassword,
      maxDownloads: rule.maxDownloads,
      publicLinks: rule.publicLinks,
      verifyRecipients: rule.verifyRecipients ?? null,
      allowedRecipientDomains: rule.allowedRecipientDomains,
      updatedAt: rule.updatedAt,
    };
  }
}
