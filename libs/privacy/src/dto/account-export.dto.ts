import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserResponse } from '@strongroom/users';

/** Documentation of GET /users/me/export; the body is streamed, never built as one object. */
export class ExportedFile {
  id!: string;
  name!: string;
  size!: number;
  contentType!: string;
  sha256?: string;
  status!: string;
  createdAt!: Date;
  uploadedAt!: Date;
  @ApiPropertyOptional({ description: 'The upload request it came in through' })
  uploadRequestId?: string;
}

export class ExportedShareGiven {
  id!: string;
  fileId!: string;
  /** The account the file was shared with. */
  userId!: string;
  email!: string;
  createdAt!: Date;
}

export class ExportedShareReceived {
  id!: string;
  fileId!: string;
  /** The account that shared the file. */
  ownerId!: string;
  createdAt!: Date;
}

export class ExportedLink {
  id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'A file link’s file' })
  fileId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'A bundle link’s bundle' })
  bundleId!: string | null;
  expiresAt!: Date;
  @ApiProperty({ type: Number, nullable: true })
  maxDownloads!: number | null;
  hasPassword!: boolean;
  /** The named recipients, who unlock the link with a code by e-mail. */
  recipients!: string[];
  @ApiProperty({ type: Date, nullable: true })
  revokedAt!: Date | null;
  createdAt!: Date;
}

export class ExportedUploadRequest {
  id!: string;
  title!: string;
  @ApiProperty({ type: String, nullable: true })
  message!: string | null;
  expiresAt!: Date;
  @ApiProperty({ type: Number, nullable: true })
  maxFiles!: number | null;
  @ApiProperty({ type: Number, nullable: true })
  maxTotalSize!: number | null;
  hasPassword!: boolean;
  @ApiProperty({ type: Date, nullable: true })
  closedAt!: Date | null;
  createdAt!: Date;
}

export class ExportedBundle {
  id!: string;
  name!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

/** One file in one of the caller's bundles, at a position. */
export class ExportedBundleItem {
  id!: string;
  bundleId!: string;
  fileId!: string;
  position!: number;
}

export class ExportedBundleShareGiven {
  id!: string;
  bundleId!: string;
  @ApiProperty({ type: String, nullable: true })
  userId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  email!: string | null;
  @ApiProperty({ type: String, nullable: true })
  groupId!: string | null;
  createdAt!: Date;
}

export class ExportedBundleShareReceived {
  id!: string;
  bundleId!: string;
  /** The account that shared the bundle. */
  ownerId!: string;
  createdAt!: Date;
}

export class ExportedSession {
  id!: string;
  createdAt!: Date;
  lastUsedAt!: Date;
  expiresAt!: Date;
  @ApiProperty({ type: Date, nullable: true })
  revokedAt!: Date | null;
  @ApiProperty({ description: 'Client address of the sign-in or the last refresh' })
  ip!: string;
  @ApiProperty({ description: 'label, browser, os and type, as read from the User-Agent' })
  device!: Record<string, string | null>;
  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;
}

export class ExportedApiKey {
  id!: string;
  name!: string;
  scopes!: string[];
  @ApiProperty({ description: 'The key’s first characters (the secret is never kept)' })
  hint!: string;
  expiresAt!: Date;
  createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true })
  lastUsedAt!: Date | null;
  @ApiProperty({ type: String, nullable: true })
  lastUsedIp!: string | null;
}

export class ExportedSecondFactor {
  id!: string;
  @ApiProperty({ enum: ['totp'] })
  type!: 'totp';
  @ApiProperty({ type: Date, nullable: true, description: 'null while the enrolment is pending' })
  confirmedAt!: Date | null;
  @ApiProperty({ description: 'How many recovery codes were issued (the codes are never kept)' })
  recoveryCodes!: number;
  createdAt!: Date;
}

export class ExportedLinkedIdentity {
  id!: string;
  @ApiProperty({ description: "The identity provider's issuer" })
  issuer!: string;
  @ApiProperty({ description: "The account's subject (sub) at that provider" })
  subject!: string;
  @ApiPropertyOptional({ description: "The provider's address for it when it was linked" })
  email?: string;
  @ApiPropertyOptional()
  lastSignInAt?: Date;
  createdAt!: Date;
}

export class ExportedWebhookEndpoint {
  id!: string;
  url!: string;
  description!: string;
  @ApiProperty({ type: [String], example: ['file.uploaded'] })
  events!: string[];
  @ApiProperty({ enum: ['user', 'instance'] })
  scope!: string;
  @ApiPropertyOptional({ description: 'When deliveries kept failing, or the owner disabled it' })
  disabledAt?: Date;
  @ApiPropertyOptional()
  disabledReason?: string;
  createdAt!: Date;
}

export class ExportedAuditEvent {
  seq!: number;
  at!: Date;
  type!: string;
  @ApiProperty({ description: 'Who acted; the address only when it was the caller' })
  actor!: Record<string, string>;
  target!: Record<string, string>;
  outcome!: string;
  @ApiPropertyOptional()
  requestId?: string;
  details!: Record<string, unknown>;
}

export class AccountExport {
  @ApiProperty({ example: 'strongroom-account-export/1' })
  format!: string;
  exportedAt!: Date;
  @ApiProperty({ type: UserResponse })
  account!: UserResponse & { updatedAt?: Date; notifyOnLinkDownload?: boolean };
  files!: ExportedFile[];
  sharesGiven!: ExportedShareGiven[];
  sharesReceived!: ExportedShareReceived[];
  links!: ExportedLink[];
  uploadRequests!: ExportedUploadRequest[];
  bundles!: ExportedBundle[];
  bundleItems!: ExportedBundleItem[];
  bundleSharesGiven!: ExportedBundleShareGiven[];
  bundleSharesReceived!: ExportedBundleShareReceived[];
  sessions!: ExportedSession[];
  apiKeys!: ExportedApiKey[];
  secondFactors!: ExportedSecondFactor[];
  linkedIdentities!: ExportedLinkedIdentity[];
  @ApiProperty({ type: [ExportedWebhookEndpoint], description: 'Never the signing secret' })
  webhookEndpoints!: ExportedWebhookEndpoint[];
  auditEvents!: ExportedAuditEvent[];
}
