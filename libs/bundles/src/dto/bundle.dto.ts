import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsMongoId,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';
import { OptionalProperty, PageQuery } from '@strongroom/common';
import type { StoredFileDocument } from '@strongroom/files';
import type { BundleWithFiles } from '../bundles.service';
import { MAX_BUNDLE_FILES } from '../bundle-limits';
import { MAX_BUNDLE_NAME_LENGTH } from '../bundle.schema';

const trimmed = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** What Swagger says of a file id list; the validators below check the same. */
const FILE_IDS_SCHEMA = {
  type: 'array',
  maxItems: MAX_BUNDLE_FILES,
  items: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
} as const;

const FileIds = () => (target: object, key: string) => {
  IsArray({ message: `${key} must be an array of file ids` })(target, key);
  ArrayMaxSize(MAX_BUNDLE_FILES, { message: `a bundle holds at most ${MAX_BUNDLE_FILES} files` })(
    target,
    key,
  );
  IsMongoId({ each: true, message: `each of ${key} must be a file id` })(target, key);
};

export class CreateBundleRequest {
  @ApiProperty({ example: 'Q3 contracts', minLength: 1, maxLength: MAX_BUNDLE_NAME_LENGTH })
  @Transform(trimmed)
  @IsString()
  @Length(1, MAX_BUNDLE_NAME_LENGTH)
  name!: string;

  @ApiPropertyOptional({
    ...FILE_IDS_SCHEMA,
    description: 'Your own files, in the order the bundle lists them',
  })
  @OptionalProperty()
  @FileIds()
  fileIds?: string[];
}

export class UpdateBundleRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_BUNDLE_NAME_LENGTH })
  @OptionalProperty()
  @Transform(trimmed)
  @IsString()
  @Length(1, MAX_BUNDLE_NAME_LENGTH)
  name?: string;

  @ApiPropertyOptional({
    ...FILE_IDS_SCHEMA,
    description: 'The whole new list, in order: adds, removes and reorders in one',
  })
  @OptionalProperty()
  @FileIds()
  fileIds?: string[];
}

export class AddBundleFilesRequest {
  @ApiProperty({ ...FILE_IDS_SCHEMA, description: 'Appended in order' })
  @FileIds()
  fileIds!: string[];
}

export class BundleFileResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: 'integer' })
  size!: number;

  @ApiProperty()
  contentType!: string;

  static from(file: StoredFileDocument): BundleFileResponse {
    return {
      id: file.id as string,
      name: file.name,
      size: file.size,
      contentType: file.contentType,
    };
  }
}

export class BundleResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({
    type: [BundleFileResponse],
    description: 'In order; a deleted file is no longer listed',
  })
  files!: BundleFileResponse[];

  @ApiProperty({ type: 'integer' })
  totalSize!: number;

  @ApiPropertyOptional({
    description:
      'On a bundle shared with you: the email of the person who shared it (its owner); absent on your own',
  })
  owner?: string;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  static from({ bundle, files }: BundleWithFiles, owner?: string): BundleResponse {
    return {
      id: bundle.id as string,
      name: bundle.name,
      files: files.map((file) => BundleFileResponse.from(file)),
      totalSize: files.reduce((sum, file) => sum + file.size, 0),
      createdAt: bundle.createdAt,
      updatedAt: bundle.updatedAt,
      ...(owner !== undefined ? { owner } : {}),
    };
  }
}

export const BUNDLE_SCOPES = ['mine', 'shared'] as const;

export class ListBundlesQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: BUNDLE_SCOPES,
    default: 'mine',
    description:
      '`mine`: all your bundles, as an array (page and limit do not apply); `shared`: bundles shared with you or a group of yours, paged',
  })
  @IsOptional()
  @IsIn(BUNDLE_SCOPES, { message: 'scope must be mine or shared' })
  scope: (typeof BUNDLE_SCOPES)[number] = 'mine';
}

export class BundlePage {
  @ApiProperty({ type: [BundleResponse] })
  items!: BundleResponse[];

  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  limit!: number;

  @ApiProperty({ example: 3 })
  total!: number;
}
