import { EJSON, type Document } from 'bson';
import type { Collection, Db, FindOptions } from 'mongodb';
import type { IndexSpec } from './archive-manifest';

/**
 * Documents are read without promoting BSON values to JS ones, so an Int32, a Double and a Long
 * stay what they were, and written as canonical Extended JSON, which keeps every type. A
 * restored document is then byte-for-byte the stored one: the audit chain's hashes still match.
 */
export const FAITHFUL_READ: FindOptions = {
  promoteValues: false,
  promoteLongs: false,
  promoteBuffers: false,
  bsonRegExp: true,
};

export const encodeDocument = (document: unknown): string =>
  EJSON.stringify(document, { relaxed: false });

export const decodeDocument = (line: string): Document =>
  EJSON.parse(line, { relaxed: false }) as Document;

/** The collections an archive holds: all but the server's own. */
export async function applicationCollections(db: Db): Promise<string[]> {
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  return collections
    .filter((entry) => entry.type === undefined || entry.type === 'collection')
    .map((entry) => entry.name)
    .filter((name) => !name.startsWith('system.'))
    .sort();
}

/** Index definitions as listIndexes gives them, without the server's bookkeeping. */
export async function indexSpecs(collection: Collection): Promise<IndexSpec[]> {
  const indexes = (await collection.listIndexes().toArray()) as Document[];
  return indexes
    .filter((index) => index.name !== '_id_')
    .map((index) => {
      const { v: _version, ns: _namespace, ...spec } = index;
      return spec as IndexSpec;
    });
}
