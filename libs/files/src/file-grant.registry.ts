import { Injectable } from '@nestjs/common';
import type { Types } from 'mongoose';
import type { FileSearch } from './file-list-query';
import type { StoredFile } from './file.schema';
import type { GrantRows } from './grant-rows';

/**
 * A way, other than a direct or group share, in which a user receives another user's files (a
 * shared bundle). A source only answers which files reach the user; FileAccessPolicy still decides.
 */
export interface FileGrantSource {
  /** Whether the file reaches the user, directly or through one of `groupIds` (their groups now). */
  reaches(
    userId: Types.ObjectId,
    groupIds: Types.ObjectId[],
    fileId: Types.ObjectId,
  ): Promise<boolean>;
  /** Which of `fileIds` reach the user, for FileAccessPolicy.readable. */
  reachingAmong(
    userId: Types.ObjectId,
    groupIds: Types.ObjectId[],
    fileIds: readonly Types.ObjectId[],
  ): Promise<Types.ObjectId[]>;
  /** The rows through which files reach the user, for `scope=shared`; none when there are none. */
  rowsReaching(
    userId: Types.ObjectId,
    groupIds: Types.ObjectId[],
    search: Pick<FileSearch, 'q' | 'sort' | 'order'>,
  ): Promise<GrantRows | undefined>;
  /** A rename reaches the copies of the name the source's rows sort and search by. */
  renamed(
    file: Pick<StoredFile, 'name' | 'size' | 'uploadedAt'> & { _id: Types.ObjectId },
  ): Promise<void>;
}

/** Grant sources registered at start-up by the modules that own them (bundles). */
@Injectable()
export class FileGrantRegistry {
  private readonly sources = new Map<string, FileGrantSource>();

  register(name: string, source: FileGrantSource): void {
    if (this.sources.has(name)) throw new Error(`file grant source '${name}' is registered twice`);
    this.sources.set(name, source);
  }

  all(): FileGrantSource[] {
    return [...this.sources.values()];
  }
}
