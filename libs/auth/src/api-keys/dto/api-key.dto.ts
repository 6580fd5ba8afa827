import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDate,
  IsIn,
  IsNotEmpty,
  IsString,
  MaxLength,
} from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '@strongroom/common';

export class CreateApiKeyRequest {
  @ApiProperty({ example: 'nightly backup upload', maxLength: 100 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    isArray: true,
    enum: API_KEY_SCOPES,
    example: ['files:read', 'files:write'],
    description:
      'What the key may do: files:read (list, read and download files, their activity), files:write (upload, including tus, rename, delete), shares:write (share with users, list and revoke shares), links:write (create, list and revoke share links), audit:read (audit events; needs the admin or auditor role as well)',
  })
  @IsArray({ message: 'scopes must be a list of scopes' })
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @IsIn(API_KEY_SCOPES, {
    each: true,
    message: `each scope must be one of ${API_KEY_SCOPES.join(', ')}`,
  })
  scopes!: ApiKeyScope[];

  @ApiProperty({
    description: 'Required; in the future and at most API_KEY_MAX_TTL (default 365 days) away',
    example: '2027-06-30T00:00:00Z',
  })
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date' })
  expiresAt!: Date;
}

export class ApiKeyResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ isArray: true, enum: API_KEY_SCOPES })
  scopes!: ApiKeyScope[];

  @ApiProperty({
    description: 'The key’s first characters, to tell keys apart',
    example: 'sr_4fQz',
  })
  hint!: string;

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty({ type: Date, nullable: true, description: 'Updated at most once a minute' })
  lastUsedAt!: Date | null;

  @ApiProperty({ type: String, nullable: true, description: 'Client address of that use' })
  lastUsedIp!: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({
    description:
      'The secret, shown only in this response; send it as "Authorization: Bearer <key>"',
    example: 'sr_4fQz…',
  })
  key!: string;
}
