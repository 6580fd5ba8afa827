import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@strongroom/common';
import type { AccountRecord } from '../user.schema';

/** A user as the account owner and admins see it; never the hash or token version. */
export class UserResponse {
  @ApiProperty({ example: '6650f1c2a1b2c3d4e5f60718' })
  id!: string;

  @ApiProperty({ example: 'marta@example.com' })
  email!: string;

  @ApiPropertyOptional({ example: 'Marta Kowalska' })
  displayName?: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ description: 'Bytes stored by this user' })
  storageUsed!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Byte limit; null for none' })
  quota!: number | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiPropertyOptional()
  lastLoginAt?: Date;

  static from(user: AccountRecord): UserResponse {
    return {
      id: user._id.toHexString(),
      email: user.email,
      // Accounts written while validation still let null through may hold it in either field.
      displayName: user.displayName ?? undefined,
      role: user.role,
      disabled: user.disabled === true,
      // Read plain, an account stored before these fields existed lacks them: their defaults.
      storageUsed: user.storageUsed ?? 0,
      quota: user.quota ?? null,
      createdAt: user.createdAt,
      lastLoginAt: user.lastLoginAt,
    };
  }
}

export class UserPage {
  @ApiProperty({ type: [UserResponse] })
  items!: UserResponse[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({ example: 42 })
  total!: number;
}
