import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { GroupsService } from '@strongroom/groups';
import { FileGrantRegistry } from './file-grant.registry';
import { fileGrantFields } from './file-grant-fields';
import type { FileSearch } from './file-list-query';
import { FileShare } from './file-share.schema';
import { StoredFile, type StoredFileDocument } from './file.schema';
import { type GrantRows, grantRows, type Head } from './grant-rows';
import { GroupShare } from './group-share.schema';

/** Up to this many grants, `total` counts the distinct files exactly; past it, the grants. */
export const EXACT_SHARED_TOTAL_UP_TO = 1000;

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') {
    // MongoDB orders strings by their UTF-8 bytes (code points), not by UTF-16 units.
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  }
  const x = a instanceof Date ? a.getTime() : Number(a);
  const y = b instanceof Date ? b.getTime() : Number(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** The sources' heads in one order (the value, then the id), each file once. */
export function mergeHeads(heads: Head[][], direction: 1 | -1): Types.ObjectId[] {
  const merged = heads
    .flat()
    .sort(
      (a, b) =>
        direction *
        (compareValues(a.value, b.value) ||
          compareValues(a.fileId.toHexString(), b.fileId.toHexString())),
    );
  const seen = new Set<string>();
  return merged.flatMap((head) => {
    const key = head.fileId.toHexString();
    if (seen.has(key)) return [];
    seen.add(key);
    return [head.fileId];
  });
}

/**
 * The number of distinct files among the grants: exact while there are at most `upTo` of them
 * (their ids are read), else the number of grants itself, so the cost stays bounded.
 */
export async function boundedDistinctTotal(
  grantCounts: number[],
  grantedIds: () => Promise<Types.ObjectId[]>,
  upTo = EXACT_SHARED_TOTAL_UP_TO,
): Promise<number> {
  const grants = grantCounts.reduce((sum, count) => sum + count, 0);
  if (grants > upTo) return grants;
  return new Set((await grantedIds()).map((id) => id.toHexString())).size;
}

/**
 * `scope=shared`, a page at a time: each way a file reaches the user (direct shares, their
 * groups' shares, and the grant sources of FileGrantRegistry: the items of the bundles shared
 * with them) is read in the list's order off its own index, only as far as the page, and the
 * heads are merged. The first page×limit files of the union are all among the first page×limit
 * of each source, so nothing beyond that is read.
 */
@Injectable()
export class SharedFilesService {
  constructor(
    @InjectModel(FileShare.name) private readonly shares: Model<FileShare>,
    @InjectModel(GroupShare.name) private readonly groupShares: Model<GroupShare>,
    @InjectModel(StoredFile.name) private readonly files: Model<StoredFile>,
    private readonly groups: GroupsService,
    private readonly grants: FileGrantRegistry,
  ) {}

  async page(
    userId: string,
    search: FileSearch,
  ): Promise<{ items: StoredFileDocument[]; total: number }> {
    const user = new Types.ObjectId(userId);
    const groupIds = await this.groups.groupIdsOf(userId);
    const granted = await Promise.all(
      this.grants.all().map((source) => source.rowsReaching(user, groupIds, search)),
    );
    const sources: GrantRows[] = [
      grantRows(this.shares, { userId: user }, search),
      ...(groupIds.length > 0
        ? [grantRows(this.groupShares, { groupId: { $in: groupIds } }, search)]
        : []),
      ...granted.flatMap((rows) => rows ?? []),
    ];
    const wanted = search.page * search.limit;
    const [heads, total] = await Promise.all([
      Promise.all(sources.map((source) => source.heads(wanted))),
      this.total(sources),
    ]);
    const ids = mergeHeads(heads, search.order === 'asc' ? 1 : -1);
    const pageIds = ids.slice((search.page - 1) * search.limit, wanted);
    const found = await this.files.find({ _id: { $in: pageIds }, status: 'ready' }).exec();
    const byId = new Map(found.map((file) => [file._id.toHexString(), file]));
    const items = pageIds.flatMap((id) => byId.get(id.toHexString()) ?? []);
    return { items, total };
  }

  /** A rename reaches the copies of the name its grants sort and search by. */
  async renamed(file: Pick<StoredFile, 'name' | 'size' | 'uploadedAt'> & { _id: Types.ObjectId }) {
    const { name, nameKeys } = fileGrantFields(file);
    await Promise.all([
      this.shares.updateMany({ fileId: file._id }, { $set: { name, nameKeys } }).exec(),
      this.groupShares.updateMany({ fileId: file._id }, { $set: { name, nameKeys } }).exec(),
      ...this.grants.all().map((source) => source.renamed(file)),
    ]);
  }

  /**
   * The number of distinct files shared with the user, counted exactly while they have at most
   * EXACT_SHARED_TOTAL_UP_TO grants; beyond, the number of grants (a file shared with them in
   * two ways counts twice), so the cost stays bounded whatever they were given.
   */
  private async total(sources: GrantRows[]): Promise<number> {
    return boundedDistinctTotal(
      await Promise.all(sources.map((source) => source.count())),
      async () => (await Promise.all(sources.map((source) => source.fileIds()))).flat(),
    );
  }
}
