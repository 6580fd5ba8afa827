/**
 * A design check of a query's shape against the indexes a schema declares, by MongoDB's
 * equality-sort-range rule: it says whether one index can serve the filter and the sort reading
 * only what the page needs. It is not MongoDB's planner (which may still choose otherwise, and
 * whose plans `npm run bench:dataset` with MONGO_URL prints); it catches a shape that no declared
 * index can serve, before a database full of data does.
 */

export type IndexKeys = Record<string, 1 | -1 | string>;
export type SortSpec = Record<string, 1 | -1>;

export interface QueryShape {
  filter: Record<string, unknown>;
  sort?: SortSpec;
  /**
   * Why sorting the matches in memory is acceptable for this shape (a search: its matches are
   * found through an index and are few, and no index can walk them in every sort order).
   */
  sortsMatchesInMemory?: string;
}

export interface IndexVerdict {
  /** The index that serves the shape, when one does. */
  index?: IndexKeys;
  /** Why each declared index does not serve it, when none does. */
  problems: string[];
}

/**
 * MongoDB explodes an `$in` of up to this many values into a merge of sorted index walks; a longer
 * one cannot keep an order, so with a sort it counts as a range. Without one, any `$in` is a set
 * of exact points in the index's bounds.
 */
const MAX_EXPLODED_IN = 200;

type Predicate = 'equality' | 'range' | 'unindexable';

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

function anchoredRegex(pattern: unknown, options: unknown): boolean {
  const source = pattern instanceof RegExp ? pattern.source : pattern;
  const flags = pattern instanceof RegExp ? pattern.flags : options;
  if (typeof source !== 'string' || (flags !== undefined && typeof flags !== 'string')) {
    return false;
  }
  return source.startsWith('^') && !flags?.includes('i');
}

function isScalar(value: unknown): boolean {
  return (
    value === null ||
    ['string', 'number', 'boolean', 'bigint'].includes(typeof value) ||
    value instanceof Date ||
    (typeof value === 'object' && '_bsontype' in value)
  );
}

function predicate(value: unknown, sorted: boolean): Predicate {
  if (value instanceof RegExp) return anchoredRegex(value, undefined) ? 'range' : 'unindexable';
  if (isScalar(value)) return 'equality';
  if (typeof value !== 'object' || Array.isArray(value)) return 'unindexable';
  const operators = value as Record<string, unknown>;
  const keys = Object.keys(operators);
  if (keys.length === 1 && keys[0] === '$eq') return 'equality';
  if (keys.length === 1 && keys[0] === '$in' && Array.isArray(operators.$in)) {
    return !sorted || operators.$in.length <= MAX_EXPLODED_IN ? 'equality' : 'range';
  }
  if ('$regex' in operators) {
    return anchoredRegex(operators.$regex, operators.$options) ? 'range' : 'unindexable';
  }
  return keys.every((key) => RANGE_OPERATORS.has(key)) ? 'range' : 'unindexable';
}

/** A filter with `$or` is served branch by branch (each merged with the rest of the filter). */
function branches(filter: Record<string, unknown>): Record<string, unknown>[] {
  const { $or, ...rest } = filter;
  if (!Array.isArray($or)) return [filter];
  return ($or as Record<string, unknown>[]).flatMap((branch) => branches({ ...rest, ...branch }));
}

function describe(keys: IndexKeys): string {
  return JSON.stringify(keys);
}

/** Why `keys` cannot serve one branch of the shape, or undefined when it can. */
function problemWith(
  keys: IndexKeys,
  filter: Record<string, unknown>,
  sort: SortSpec,
  sortsInMemory: boolean,
): string | undefined {
  const fields = Object.keys(keys);
  const sorted = Object.keys(sort).length > 0;
  const kinds = new Map(
    Object.entries(filter).map(([field, value]) => [field, predicate(value, sorted)]),
  );
  for (const [field, kind] of kinds) {
    if (kind === 'unindexable') return `${field}: no index can bound this predicate`;
    if (!fields.includes(field)) return `${field} is not in the index: every match is fetched`;
  }
  const sortFields = Object.keys(sort);
  const leading = fields[0];
  if (!kinds.has(leading) && sortFields[0] !== leading) {
    return `its first field, ${leading}, is neither filtered nor sorted on: a whole-index scan`;
  }
  let position = 0;
  while (position < fields.length && kinds.get(fields[position]) === 'equality') position++;
  const sortServed = servesSort(keys, fields.slice(position), sort);
  if (sortServed === true) {
    // Past the equality prefix the walk follows the sort: a filter on a later key is checked key
    // by key, and the walk reads on past the page until enough keys pass it.
    const prefix = new Set(fields.slice(0, position));
    for (const [field, kind] of kinds) {
      if (prefix.has(field) || (kind === 'range' && field === sortFields[0])) continue;
      return `${field} is filtered after the sort begins: the walk reads keys beyond the page`;
    }
    return undefined;
  }
  if (!sortsInMemory) return sortServed;
  // The matches are sorted in memory: the filter must bound them through the index alone.
  const range = fields[position];
  if (range === undefined || kinds.get(range) !== 'range') {
    return `after its equality fields comes ${range ?? 'nothing'}, not the search's range`;
  }
  return undefined;
}

function servesSort(keys: IndexKeys, rest: string[], sort: SortSpec): true | string {
  const wanted = Object.entries(sort);
  let direction = 0;
  let at = 0;
  for (const [field, order] of wanted) {
    if (rest[at] !== field) return `sorting by ${field} is not next in the index: sorted in memory`;
    const key = keys[field];
    if (key !== 1 && key !== -1) return `${field} is not an ordered key here`;
    const walk = key === order ? 1 : -1;
    if (direction !== 0 && walk !== direction) {
      return `the sort's directions do not match the index's in one walk: sorted in memory`;
    }
    direction = walk;
    at++;
  }
  return true;
}

/**
 * Which of `indexes` serves `shape` with no in-memory sort (unless the shape allows one), no
 * collection scan, and no document fetched only to be discarded. `_id`'s index is implied.
 */
export function indexServing(shape: QueryShape, indexes: IndexKeys[]): IndexVerdict {
  const all = [{ _id: 1 } as IndexKeys, ...indexes];
  const sort = shape.sort ?? {};
  let index: IndexKeys | undefined;
  for (const branch of branches(shape.filter)) {
    const reasons: string[] = [];
    const served = all.find((keys) => {
      const problem = problemWith(keys, branch, sort, shape.sortsMatchesInMemory !== undefined);
      if (problem) reasons.push(`${describe(keys)}: ${problem}`);
      return problem === undefined;
    });
    if (!served) return { problems: [`no index serves ${JSON.stringify(branch)}`, ...reasons] };
    index ??= served;
  }
  return { index, problems: [] };
}

/**
 * Whether one index counts `filter` from its keys alone (a COUNT_SCAN): the filter's fields are
 * the index's first fields, equalities first and at most one range last.
 */
export function countServing(filter: Record<string, unknown>, indexes: IndexKeys[]): IndexVerdict {
  for (const branch of branches(filter)) {
    const verdict = countBranch(branch, indexes);
    if (!verdict.index || branches(filter).length === 1) return verdict;
  }
  return { index: { _id: 1 }, problems: [] };
}

function countBranch(filter: Record<string, unknown>, indexes: IndexKeys[]): IndexVerdict {
  const all = [{ _id: 1 } as IndexKeys, ...indexes];
  const kinds = new Map(
    Object.entries(filter).map(([field, value]) => [field, predicate(value, false)]),
  );
  if (kinds.size === 0) {
    return { problems: ['an unfiltered count reads the whole collection: estimate it'] };
  }
  const served = all.find((keys) => {
    const prefix = Object.keys(keys).slice(0, kinds.size);
    if (!prefix.every((field) => kinds.has(field))) return false;
    const ranges = prefix.filter((field) => kinds.get(field) !== 'equality');
    return (
      ranges.length === 0 ||
      (ranges.length === 1 && ranges[0] === prefix.at(-1) && kinds.get(ranges[0]) === 'range')
    );
  });
  return served
    ? { index: served, problems: [] }
    : { problems: [`no index counts ${JSON.stringify(filter)} from its keys`] };
}

/** The index keys a mongoose schema declares (fields marked `index` or `unique` included). */
export function declaredIndexes(schema: { indexes(): [IndexKeys, unknown][] }): IndexKeys[] {
  return schema.indexes().map(([keys]) => keys);
}
