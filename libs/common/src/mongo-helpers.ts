import type { Document, Filter } from 'mongodb';
import type { Model } from 'mongoose';

/** MongoDB's error code for a unique index violation. */
export const DUPLICATE_KEY_ERROR = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY_ERROR;
}

/**
 * Runs an upsert again when it lost a race to insert the same key. MongoDB retries such upserts
 * itself; the embedded database does not, and would answer a 409 to a request that did nothing
 * wrong. The retry finds the record the winner inserted and updates it.
 */
export async function upsertRetryingRace<T>(upsert: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsert();
    } catch (error) {
      if (!isDuplicateKeyError(error) || attempt >= attempts) throw error;
    }
  }
}

/** A user's search text as a literal regular expression: `.*` finds a dot and a star, nothing more. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface IndexedModel {
  init(): Promise<unknown>;
  createIndexes(): Promise<unknown>;
}

/**
 * For code whose correctness rests on a unique index: the returned function resolves once the
 * model's indexes exist. Mongoose starts building them when the model is compiled; this waits for
 * that, and after a failure (Mongoose keeps the failed first build) asks for them again next time.
 */
export function indexesBuilt(model: IndexedModel): () => Promise<unknown> {
  let built: Promise<unknown> | undefined;
  return () => {
    built ??= model
      .init()
      .catch(() => model.createIndexes())
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return built;
  };
}

/**
 * A page's total: counted where a filter narrows the collection (through that filter's index),
 * but taken from the collection's metadata when nothing does, so an unfiltered list never counts
 * every document on each request. The estimate may lag an unclean shutdown; a total shown beside
 * a page needs no more.
 */
export function pageTotal(
  model: {
    countDocuments(filter: object): { exec(): Promise<number> };
    estimatedDocumentCount(): { exec(): Promise<number> };
  },
  filter: object,
): Promise<number> {
  return Object.keys(filter).length === 0
    ? model.estimatedDocumentCount().exec()
    : model.countDocuments(filter).exec();
}

/**
 * One document as stored (or null), read through the driver beneath a mongoose model: what
 * `findOne(filter, projection).lean()` gives, without building a mongoose Query for the read (its
 * option merging, casting, hooks, and the stack trace every `exec` captures): a twentieth of a
 * small authenticated request's CPU. For hot read paths: the filter must hold stored types (an
 * ObjectId where one is stored, not its hex string), and no query middleware runs.
 */
export async function findOneRecord<T>(
  model: Pick<Model<unknown>, 'collection'>,
  filter: Record<string, unknown>,
  projection?: Record<string, 0 | 1>,
): Promise<T | null> {
  return (await model.collection.findOne(
    filter as Filter<Document>,
    projection ? { projection } : {},
  )) as T | null;
}
