import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '@strongroom/common';
import { MAX_FILE_NAME_LENGTH } from '../file-name';
import type { StoredFileRecord } from '../file.schema';
import type { FileScope, FileSearch, FileSortField } from '../file-list-query';

export class FileResponse {
  @ApiProperty({ example: '6650f1c2a1b2c3d4e5f60718' })
  id!: string;

  @ApiProperty({ example: 'quarterly report.pdf' })
  name!: string;

  @ApiProperty({ example: 482113 })
  size!: number;

  @ApiProperty({
    example: 'application/pdf',
    description: 'Recognised from the content, not from the client',
  })
  contentType!: string;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;

  @ApiProperty()
  uploadedAt!: Date;

  @ApiProperty({ description: 'The id of the user who uploaded it' })
  owner!: string;

  @ApiPropertyOptional({
    description: 'In scope=shared lists: the email of the person who shared it (the owner)',
    example: 'marta@example.com',
  })
  ownerEmail?: string;

  @ApiPropertyOptional({
    description: 'The upload request it was sent through, when someone sent it to the owner',
    example: '6650f1c2a1b2c3d4e5f60719',
  })
  uploadRequestId?: string;

  static from(file: StoredFileRecord, ownerEmail?: string): FileResponse {
    return {
      ...(ownerEmail === undefined ? {} : { ownerEmail }),
      ...(file.uploadRequestId ? { uploadRequestId: file.uploadRequestId.toHexString() } : {}),
      id: file._id.toHexString(),
      name: file.name,
      size: file.size,
      contentType: file.contentType,
      sha256: file.sha256 ?? '',
      uploadedAt: file.uploadedAt,
      owner: file.uploader.toHexString(),
    };
  }
}

export class FilePage {
  @ApiProperty({ type: [FileResponse] })
  items!: FileResponse[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({ example: 42 })
  total!: number;
}

const SORTS = ['name', 'size', 'uploadedAt'] as const;

export class ListFilesQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: ['mine', 'shared', 'all'],
    default: 'mine',
    description: '`all` is for admins',
  })
  @IsOptional()
  @IsIn(['mine', 'shared', 'all'])
  scope: FileScope = 'mine';

  @ApiPropertyOptional({ description: 'Case-insensitive search in the name', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({
    default: '-uploadedAt',
    description: 'name, size or uploadedAt; a leading - sorts descending',
    example: '-size',
  })
  @IsOptional()
  @Matches(/^-?(name|size|uploadedAt)$/, {
    message: 'sort must be name, size or uploadedAt, optionally prefixed with -',
  })
  sort: string = '-uploadedAt';

  toSearch(): FileSearch {
    const descending = this.sort.startsWith('-');
    const field = this.sort.replace(/^-/, '') as FileSortField;
    return {
      scope: this.scope,
      page: this.page,
      limit: this.limit,
      q: this.q,
      sort: SORTS.includes(field) ? field : 'uploadedAt',
      order: descending ? 'desc' : 'asc',
    };
  }
}

export class RenameFileRequest {
  @ApiProperty({
    example: 'renamed.pdf',
    description: 'Surrounding white space is trimmed; a name of only white space is refused',
    minLength: 1,
    maxLength: MAX_FILE_NAME_LENGTH,
    pattern: '\\S',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, MAX_FILE_NAME_LENGTH, {
    message: `name must be 1 to ${MAX_FILE_NAME_LENGTH} characters long`,
  })
  name!: string;
}
