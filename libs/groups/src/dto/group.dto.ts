import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';
import { OptionalProperty } from '@strongroom/common';
import { AccountEmail } from '@strongroom/users';
import type { GroupDocument } from '../group.schema';
import type { GroupMemberDocument } from '../group-member.schema';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class CreateGroupRequest {
  @ApiProperty({ example: 'Legal', minLength: 1, maxLength: 100 })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: 'Contracts and counsel', maxLength: 500 })
  @OptionalProperty()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ApiPropertyOptional({
    example: 'cn=legal,ou=groups,dc=example,dc=com',
    maxLength: 256,
    description:
      "A value of the identity provider's groups claim (OIDC_GROUPS_CLAIM): its holders become the members at each single sign-on, and members cannot be added or removed by hand",
  })
  @OptionalProperty()
  @Transform(trimmed)
  @IsString()
  @Length(1, 256)
  idpGroup?: string;
}

export class UpdateGroupRequest {
  @ApiPropertyOptional({ example: 'Legal & compliance', minLength: 1, maxLength: 100 })
  @OptionalProperty()
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalProperty()
  @IsString()
  @Length(0, 500)
  description?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 256,
    description:
      'Binds the group to this value of the groups claim; null hands membership back to admins',
  })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Length(1, 256)
  idpGroup?: string | null;
}

export class AddGroupMemberRequest {
  @ApiProperty({ example: 'marta@example.com', format: 'email', maxLength: 254 })
  @AccountEmail()
  email!: string;
}

export class GroupResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The groups-claim value that decides membership, or null',
  })
  idpGroup!: string | null;

  @ApiProperty({ type: 'integer' })
  memberCount!: number;

  @ApiProperty()
  createdAt!: Date;

  static from(group: GroupDocument, memberCount: number): GroupResponse {
    return {
      id: group.id as string,
      name: group.name,
      description: group.description,
      idpGroup: group.idpGroup ?? null,
      memberCount,
      createdAt: group.createdAt,
    };
  }
}

export class GroupMemberResponse {
  @ApiProperty()
  userId!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  addedAt!: Date;

  static from(member: GroupMemberDocument): GroupMemberResponse {
    return { userId: member.userId.toHexString(), email: member.email, addedAt: member.addedAt };
  }
}
