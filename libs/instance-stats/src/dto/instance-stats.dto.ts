import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_ACTIVITY_DAYS = 365;

export class InstanceStatsQuery {
  @ApiPropertyOptional({
    type: 'integer',
    default: 30,
    minimum: 1,
    maximum: MAX_ACTIVITY_DAYS,
    description: 'How many UTC days of activity, today included',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number of days' })
  @Min(1, { message: 'days must be at least 1' })
  @Max(MAX_ACTIVITY_DAYS, { message: `days must be at most ${MAX_ACTIVITY_DAYS}` })
  days: number = 30;
}

export class DailyActivityResponse {
  @ApiProperty({ example: '2026-12-06', description: 'The UTC day' })
  date!: string;

  @ApiProperty({
    example: 12,
    description: 'Uploads completed that day, including files since deleted',
  })
  uploads!: number;

  @ApiProperty({ example: 52428800, description: 'Bytes those uploads brought' })
  bytes!: number;
}

export class StorageUserResponse {
  @ApiProperty({ example: '6650f1c2a1b2c3d4e5f60718' })
  id!: string;

  @ApiProperty({ example: 'marta@example.com' })
  email!: string;

  @ApiPropertyOptional({ example: 'Marta Kowalska' })
  displayName?: string;

  @ApiProperty({ example: 1073741824, description: 'Bytes stored' })
  storageUsed!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'Byte limit; null for none' })
  quota!: number | null;
}

/** The instance at a glance, for its administrators. */
export class InstanceStats {
  @ApiProperty({
    example: 42,
    description: "Accounts, disabled ones included (an estimate, from the collection's metadata)",
  })
  users!: number;

  @ApiProperty({
    example: 1234,
    description:
      "Files stored, uploads in progress not counted (an estimate: the collection's size from its metadata less the uploads in progress)",
  })
  files!: number;

  @ApiProperty({ example: 53687091200, description: 'Bytes of the files stored' })
  bytesStored!: number;

  @ApiProperty({
    type: [StorageUserResponse],
    description: 'The accounts storing the most, largest first (at most 5)',
  })
  topUsers!: StorageUserResponse[];

  @ApiProperty({ example: 30 })
  days!: number;

  @ApiProperty({
    type: [DailyActivityResponse],
    description: 'One row per UTC day, oldest first, every day present (zeros included)',
  })
  daily!: DailyActivityResponse[];
}
