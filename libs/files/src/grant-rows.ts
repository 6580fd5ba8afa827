import type { Model, Types } from 'mongoose';
import type { FileGrantFields } from './file-grant-fields';
import { type FileSearch, grantPageQuery } from './file-list-query';

/** A file as one source lists it: its id and the value it is sorted by. */
export interface Head {
  fileId: Types.ObjectId;
  value: unknown;
}

/**
 * One way files reach a user for `scope=shared` (their shares, their groups' shares, the items
 * of the bundles shared with them), narrowed by the list's search and read in the list's order.
 */
export interface GrantRows {
  /** The first `wanted` distinct files in the list's order, however many rows that takes. */
  heads(wanted: number): Promise<Head[]>;
  /** How many rows match: a file reached twice counts twice. */
  count(): Promise<number>;
  /** Every matching row's file id (read only while `count` is small: boundedDistinctTotal). */
  fileIds(): Promise<Types.ObjectId[]>;
}

/** A row that names a file and keeps its sort fields (FileGrantFields). */
export type GrantRow = FileGrantFields & { fileId: Types.ObjectId };

/** The rows of `model` that match `grantee`, read off the index for the list's sort. */
export function grantRows<T extends GrantRow>(
  model: Model<T>,
  grantee: Record<string, unknown>,
  search: Pick<FileSearch, 'q' | 'sort' | 'order'>,
): GrantRows {
  const { filter, sort } = grantPageQuery(grantee, search);
  const field = search.sort;
  return {
    // A file can have several rows here (two of the user's groups, two bundles): read on past
    // such repeats until `wanted` distinct files are found, or the rows run out.
    async heads(wanted) {
      const heads: Head[] = [];
      const seen = new Set<string>();
      for (let read = 0; heads.length < wanted;) {
        const asked = wanted - heads.length;
        const rows = await model
          .find(filter, { _id: 0, fileId: 1, [field]: 1 })
          .sort(sort)
          .skip(read)
          .limit(asked)
          .lean<GrantRow[]>()
          .exec();
        for (const row of rows) {
          const key = row.fileId.toHexString();
          if (seen.has(key)) continue;
          seen.add(key);
          heads.push({ fileId: row.fileId, value: row[field] });
        }
        if (rows.length < asked) break;
        read += rows.length;
      }
      return heads;
    },
    count: () => model.countDocuments(filter).exec(),
    fileIds: async () =>
      (
        await model.find(filter, { _id: 0, fileId: 1 }).lean<{ fileId: Types.ObjectId }[]>().exec()
      ).map((row) => row.fileId),
  };
}
