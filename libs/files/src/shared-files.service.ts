import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { GroupsService } from '@strongroom/groups';
import { FileGrantRegistry } from './file-grant.registry';
import { fileGrantFields } from './file-grant-fields';
import { type FileSearch, fileListQuery, grantPageQuery } from './file-list-query';
import { FileShare } from './file-share.schema';
import { StoredFile, type StoredFileDocument } from './file.schema';
import { GroupShare } from './group-share.schema';

/** Up to this many grants, `total` counts the distinct files exactly; past it, the grants. */
export const EXACT_SHARED_TOTAL_UP_TO = 1000;

/** A file as one source lists it: its id and the value it is sorted by. */
export interface Head {
  fileId: Types.ObjectId;
  value: unknown;
}

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
 * groups' shares) is read in the list's order off its own index, only as far as the page, and
 * the heads are merged. The first page×limit files of the union are all among the first
 * page×limit of each source, so nothing beyond that is read. Files reached through shared
 * bundles (FileGrantRegistry) are still gathered by id: their grants keep no sort fields.
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
    const bundled = (
      await Promise.all(this.grants.all().map((source) => source.reachable(user, groupIds)))
    ).flat();
    const direct = grantPageQuery({ userId: user }, search);
    const viaGroups = grantPageQuery({ groupId: { $in: groupIds } }, search);
    const throughBundles = fileListQuery(userId, { ...search, scope: 'shared' }, bundled);
    const wanted = search.page * search.limit;
    const field = search.sort;
    // A file shared with several of the user's groups has a row for each: read on past such
    // repeats until the source has given `wanted` distinct files, or has no more.
    const headsOf = async (model: Model<FileShare> | Model<GroupShare>, query: typeof direct) => {
      const heads: Head[] = [];
      const seen = new Set<string>();
      for (let read = 0; heads.length < wanted;) {
        const asked = wanted - heads.length;
        const rows = await (model as Model<FileShare>)
          .find(query.filter, { _id: 0, fileId: 1, [field]: 1 })
          .sort(query.sort)
          .skip(read)
          .limit(asked)
          .lean<FileShare[]>()
          .exec();
        for (const grant of rows) {
          const key = grant.fileId.toHexString();
          if (seen.has(key)) continue;
          seen.add(key);
          heads.push({ fileId: grant.fileId, value: grant[field] });
        }
        if (rows.length < asked) break;
        read += rows.length;
      }
      return heads;
    };
    const [heads, total] = await Promise.all([
      Promise.all([
        headsOf(this.shares, direct),
        groupIds.length > 0 ? headsOf(this.groupShares, viaGroups) : [],
        bundled.length > 0
          ? this.files
              .find(throughBundles.filter, { [field]: 1 })
              .sort(throughBundles.sort)
              .limit(wanted)
              .lean<(StoredFile & { _id: Types.ObjectId })[]>()
              .exec()
              .then((files) =>
                files.map((file): Head => ({ fileId: file._id, value: file[field] })),
              )
          : [],
      ]),
      this.total(direct.filter, groupIds.length > 0 ? viaGroups.filter : undefined, throughBundles),
    ]);
    const ids = mergeHeads(heads, search.order === 'asc' ? 1 : -1);
    const pageIds = ids.slice((search.page - 1) * search.limit, wanted);
    const found = await this.files.find({ _id: { $in: pageIds }, status: 'ready' }).exec();
    const byId = new Map(found.map((file) => [file._id.toHexString(), file]));
    const items = pageIds.flatMap((id) => byId.get(id.toHexString()) ?? []);
    return { items, total };
  }

  /** A rename reaches the copies of the name its shares sort and search by. */
  async renamed(file: Pick<StoredFile, 'name' | 'size' | 'uploadedAt'> & { _id: Types.ObjectId }) {
    const { name, nameKeys } = fileGrantFields(file);
    await Promise.all([
      this.shares.updateMany({ fileId: file._id }, { $set: { name, nameKeys } }).exec(),
      this.groupShares.updateMany({ fileId: file._id }, { $set: { name, nameKeys } }).exec(),
    ]);
  }

  /**
   * The number of distinct files shared with the user, counted exactly while they have at most
   * EXACT_SHARED_TOTAL_UP_TO grants; beyond, the number of grants (a file shared with them in
   * two ways counts twice), so the cost stays bounded whatever they were given.
   */
  private async total(
    direct: Record<string, unknown>,
    viaGroups: Record<string, unknown> | undefined,
    throughBundles: { filter: Record<string, unknown> },
  ): Promise<number> {
    const bundledFilter = throughBundles.filter;
    const hasBundled = ((bundledFilter._id as { $in: unknown[] }).$in ?? []).length > 0;
    const counts = await Promise.all([
      this.shares.countDocuments(direct).exec(),
      viaGroups ? this.groupShares.countDocuments(viaGroups).exec() : 0,
      hasBundled ? this.files.countDocuments(bundledFilter).exec() : 0,
    ]);
    return boundedDistinctTotal(counts, async () =>
      (
        await Promise.all([
          this.shares.find(direct, { _id: 0, fileId: 1 }).lean<FileShare[]>().exec(),
          viaGroups
            ? this.groupShares.find(viaGroups, { _id: 0, fileId: 1 }).lean<GroupShare[]>().exec()
            : [],
          hasBundled
            ? this.files
                .find(bundledFilter, { _id: 1 })
                .lean<{ _id: Types.ObjectId }[]>()
                .exec()
                .then((files) => files.map((file) => ({ fileId: file._id })))
            : [],
        ])
      )
        .flat()
        .map((grant) => grant.fileId),
    );
  }
}
