import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { ROLES, type Role } from '@strongroom/common';
import { AccountEmail } from '@strongroom/users';

export class LoginRequest {
  @ApiProperty({ example: 'marta@example.com', format: 'email', maxLength: 254 })
  @AccountEmail()
  email!: string;

  @ApiProperty({ example: 'copper kettle orbit lantern' })
  @IsString()
  @MaxLength(512)
  password!: string;
}

export class RefreshRequest {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @Length(20, 128)
  refreshToken!: string;
}

export class TokenPair {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty({ description: 'Opaque; each one works once' })
  refreshToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Access token lifetime in seconds', example: 900 })
  expiresIn!: number;
}

export class RegisteredUser {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiPropertyOptional()
  displayName?: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty()
  createdAt!: Date;
}
