import { Types } from 'mongoose';
import { AuditEventSchema, auditEventsQuery, fileLedgerQuery } from '@strongroom/audit';
import { BundleItemSchema } from '@strongroom/bundles';
import {
  FileShareSchema,
  fileListQuery,
  grantPageQuery,
  grantsAmongQuery,
  GroupShareSchema,
  StoredFileSchema,
} from '@strongroom/files';
import {
  countServing,
  declaredIndexes,
  indexServing,
  type IndexKeys,
  type QueryShape,
} from '@strongroom/testing';
import { UserSchema, userSearchQuery } from '@strongroom/users';

/**
 * Every query a person runs interactively, as the services build it, against the indexes the
 * schemas declare: one index must serve its filter and its order a page at a time (see
 * libs/testing/src/index-coverage.ts), and its total must be counted from index keys. A design
 * check, not MongoDB's planner: `npm run bench:dataset` with MONGO_URL prints the real plans.
 */
interface HotQuery extends QueryShape {
  name: string;
  indexes: IndexKeys[];
}

const SEARCH =
  'its matches come off the index and are sorted in memory; no index walks them in each order';
const user = new Types.ObjectId().toHexString();
const window = { from: new Date('2026-03-01'), to: new Date('2026-03-02') };

const audit = declaredIndexes(AuditEventSchema);
const users = declaredIndexes(UserSchema);
const files = declaredIndexes(StoredFileSchema);
const shares = declaredIndexes(FileShareSchema);
const groupShares = declaredIndexes(GroupShareSchema);
const bundleItems = declaredIndexes(BundleItemSchema);

const fileLists: HotQuery[] = (['uploadedAt', 'name', 'size'] as const).flatMap((sort) =>
  (['asc', 'desc'] as const).flatMap((order) => [
    {
      name: `files: mine by ${sort} ${order}`,
      indexes: files,
      ...fileListQuery(user, { scope: 'mine', sort, order }),
    },
    {
      name: `files: all by ${sort} ${order}`,
      indexes: files,
      ...fileListQuery(user, { scope: 'all', sort, order }),
    },
  ]),
);

const groupIds = [new Types.ObjectId(), new Types.ObjectId()];
// As many bundles as MongoDB still merges as sorted index walks (MAX_EXPLODED_IN).
const bundleIds = Array.from({ length: 200 }, () => new Types.ObjectId());
const sharedLists: HotQuery[] = (['uploadedAt', 'name', 'size'] as const).flatMap((sort) =>
  (['asc', 'desc'] as const).flatMap((order) => [
    {
      name: `files: scope=shared by ${sort} ${order}, direct shares`,
      indexes: shares,
      ...grantPageQuery({ userId: new Types.ObjectId(user) }, { sort, order }),
    },
    {
      name: `files: scope=shared by ${sort} ${order}, group shares`,
      indexes: groupShares,
      ...grantPageQuery({ groupId: { $in: groupIds } }, { sort, order }),
    },
    {
      name: `files: scope=shared by ${sort} ${order}, shared bundles' items`,
      indexes: bundleItems,
      ...grantPageQuery({ bundleId: { $in: bundleIds } }, { sort, order }),
    },
  ]),
);

const served: HotQuery[] = [
  ...fileLists,
  ...sharedLists,
  {
    name: 'files: scope=shared, search by name in direct shares',
    indexes: shares,
    sortsMatchesInMemory: SEARCH,
    ...grantPageQuery(
      { userId: new Types.ObjectId(user) },
      { q: 'inv', sort: 'name', order: 'asc' },
    ),
  },
  {
    name: 'files: scope=shared, search by name in group shares',
    indexes: groupShares,
    sortsMatchesInMemory: SEARCH,
    ...grantPageQuery({ groupId: { $in: groupIds } }, { q: 'inv', sort: 'name', order: 'asc' }),
  },
  {
    name: "files: scope=shared, search by name in shared bundles' items",
    indexes: bundleItems,
    sortsMatchesInMemory: SEARCH,
    ...grantPageQuery({ bundleId: { $in: bundleIds } }, { q: 'inv', sort: 'name', order: 'asc' }),
  },
  {
    name: 'files: mine, search by name',
    indexes: files,
    sortsMatchesInMemory: SEARCH,
    ...fileListQuery(user, { scope: 'mine', q: 'invoice', sort: 'uploadedAt', order: 'desc' }),
  },
  {
    name: 'files: all, search by name',
    indexes: files,
    sortsMatchesInMemory: SEARCH,
    ...fileListQuery(user, { scope: 'all', q: 'invoice', sort: 'name', order: 'asc' }),
  },
  { name: 'users: admin list', indexes: users, ...userSearchQuery() },
  {
    name: 'users: admin search',
    indexes: users,
    sortsMatchesInMemory: SEARCH,
    ...userSearchQuery('user-77'),
  },
  { name: 'audit: all', indexes: audit, ...auditEventsQuery({}) },
  { name: 'audit: by type', indexes: audit, ...auditEventsQuery({ type: 'login_failed' }) },
  { name: 'audit: by actor', indexes: audit, ...auditEventsQuery({ actor: user }) },
  { name: 'audit: by file', indexes: audit, ...auditEventsQuery({ fileId: user }) },
  { name: 'audit: by time', indexes: audit, ...auditEventsQuery(window) },
  {
    name: 'audit: by type in a time window',
    indexes: audit,
    ...auditEventsQuery({ type: 'file_uploaded', ...window }),
  },
  {
    name: 'audit: by actor in a time window',
    indexes: audit,
    ...auditEventsQuery({ actor: user, ...window }),
  },
  {
    name: 'audit: by file in a time window',
    indexes: audit,
    ...auditEventsQuery({ fileId: user, ...window }),
  },
  { name: 'files/:id/activity (ledger)', indexes: audit, ...fileLedgerQuery(user) },
  ...readableLookups(),
];

/** A shared bundle opened: which of its files reach the user, per kind of grant. */
function readableLookups(): HotQuery[] {
  const bundled = Array.from({ length: 500 }, () => new Types.ObjectId());
  return [
    {
      name: "bundles/:id opened: its files' direct shares",
      indexes: shares,
      ...grantsAmongQuery(bundled, { userId: new Types.ObjectId(user) }),
    },
    {
      name: "bundles/:id opened: its files' group shares",
      indexes: groupShares,
      ...grantsAmongQuery(bundled, { groupId: { $in: groupIds } }),
    },
    {
      name: 'bundles/:id opened: its files in the bundles shared with the user',
      indexes: bundleItems,
      ...grantsAmongQuery(bundled, { bundleId: { $in: bundleIds } }),
    },
  ];
}

function expectServed({ name, indexes, ...shape }: HotQuery): void {
  const verdict = indexServing(shape, indexes);
  expect({ name, problems: verdict.problems }).toEqual({ name, problems: [] });
  expect(verdict.index).toBeDefined();
  if (Object.keys(shape.filter).length > 0) {
    expect({ name, count: countServing(shape.filter, indexes).problems }).toEqual({
      name,
      count: [],
    });
  }
}

describe('interactive queries are served by a declared index', () => {
  it.each(served.map((query) => [query.name, query] as const))('%s', (_name, query) => {
    expectServed(query);
  });
});
