import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalProperty } from '@strongroom/common';

export class SessionDeviceResponse {
  @ApiProperty({ example: 'Firefox 133 on Linux' })
  label!: string;

  @ApiProperty({ type: String, nullable: true, example: 'Firefox 133' })
  browser!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Linux' })
  os!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['desktop', 'mobile', 'tablet', 'tv', 'bot'],
    example: 'desktop',
  })
  type!: string | null;
}

export class SessionResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'The session the calling access token belongs to' })
  current!: boolean;

  @ApiProperty({ description: 'Sign-in' })
  createdAt!: Date;

  @ApiProperty({ description: 'Sign-in or the last refresh' })
  lastUsedAt!: Date;

  @ApiProperty({ description: 'When it ends unless refreshed' })
  expiresAt!: Date;

  @ApiProperty({ description: 'Client address of the sign-in or the last refresh' })
  ip!: string;

  @ApiProperty({ type: SessionDeviceResponse })
  device!: SessionDeviceResponse;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'As the client sent it (256 characters at most)',
  })
  userAgent!: string | null;
}

export class RevokeSessionsQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'true: keep the session of the calling access token ("sign out everywhere else"); by default every session ends, this one too',
  })
  @OptionalProperty()
  @IsIn(['true', 'false'], { message: 'keepCurrent must be true or false' })
  keepCurrent?: 'true' | 'false';
}
