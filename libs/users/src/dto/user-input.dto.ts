import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { OptionalProperty, PageQuery, ROLES, type Role } from '@strongroom/common';
import { PASSWORD_MAX_LENGTH } from '../password/password-policy';
import { AccountEmail } from './account-email.decorator';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** The fields every new account has, from self-registration or an admin. */
export class NewAccountFields {
  @ApiProperty({ example: 'marta@example.com', format: 'email', maxLength: 254 })
  @AccountEmail()
  email!: string;

  @ApiProperty({
    example: 'copper kettle orbit lantern',
    minLength: 12,
    maxLength: PASSWORD_MAX_LENGTH,
  })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  password!: string;

  @ApiPropertyOptional({ example: 'Marta Kowalska', maxLength: 100 })
  @OptionalProperty()
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  displayName?: string;
}

export class CreateUserRequest extends NewAccountFields {
  @ApiPropertyOptional({ enum: ROLES, default: 'user' })
  @OptionalProperty()
  @IsIn(ROLES)
  role?: Role;
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ enum: ROLES })
  @OptionalProperty()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @OptionalProperty()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'Bytes; null removes the limit',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  quota?: number | null;
}

export class ChangePasswordRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH * 4)
  newPassword!: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'Also revoke every personal API key of the account. Keys survive a password change otherwise: they are separate credentials, each revocable on its own',
  })
  @OptionalProperty()
  @IsBoolean()
  revokeApiKeys?: boolean;
}

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'The start of any word of the email or display name, any case: `smith` finds ' +
      '`alice.smith@example.com` and "Harriet Smithers"; `mith` finds neither',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
