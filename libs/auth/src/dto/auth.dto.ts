import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';
import { OptionalProperty, ROLES, type Role } from '@strongroom/common';
import { AccountEmail } from '@strongroom/users';
import {
  type RefreshTokenDelivery,
  RefreshTokenDeliveryProperty,
} from '../cookie/refresh-token-delivery';

export class LoginRequest {
  @ApiProperty({ example: 'marta@example.com', format: 'email', maxLength: 254 })
  @AccountEmail()
  email!: string;

  @ApiProperty({ example: 'copper kettle orbit lantern' })
  @IsString()
  @MaxLength(512)
  password!: string;

  @RefreshTokenDeliveryProperty()
  refreshTokenDelivery?: RefreshTokenDelivery;
}

export class RefreshRequest {
  @ApiPropertyOptional({
    description:
      'The refresh token from login or the previous refresh; without it, the refresh cookie is used (same-origin requests only)',
  })
  @OptionalProperty()
  @IsString()
  @Length(20, 128)
  refreshToken?: string;
}

export class TokenPair {
  @ApiProperty()
  accessToken!: string;

  @ApiPropertyOptional({
    description: 'Opaque; each one works once. Absent when it was delivered in the refresh cookie',
  })
  refreshToken?: string;

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

export class PasswordRules {
  @ApiProperty({ example: 12 })
  minLength!: number;

  @ApiProperty({ example: 128 })
  maxLength!: number;

  @ApiProperty({
    description: 'Also refused: a password containing the email address, or one easy to guess',
    example: true,
  })
  strengthChecked!: boolean;
}

export class SsoState {
  @ApiProperty({ description: 'Single sign-on is configured: show its button' })
  enabled!: boolean;

  @ApiPropertyOptional({
    description: "The button's label: Sign in with <displayName> (OIDC_DISPLAY_NAME)",
  })
  displayName?: string;

  @ApiProperty({
    description: 'false with OIDC_ONLY: only break-glass accounts may use a password',
  })
  passwordSignIn!: boolean;
}

export class SetupState {
  @ApiProperty({
    description:
      'false on a fresh installation: the first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD or `create-admin` in the CLI',
  })
  hasUsers!: boolean;

  @ApiProperty({ enum: ['open', 'closed'] })
  registration!: 'open' | 'closed';

  @ApiProperty({ type: PasswordRules })
  passwordRules!: PasswordRules;

  @ApiProperty({ type: () => SsoState })
  sso!: SsoState;
}
