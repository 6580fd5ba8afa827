import { type Document, type MongooseQueryMiddleware, type Schema, Types } from 'mongoose';

/**
 * A write to a collection whose readers cache what they read: which documents it touched, by
 * the fields the plugin was asked to watch (`_id`, `userId`…), or `undefined` for a field whose
 * values the write did not name (a filter on something else, a bulk write): then every cached
 * entry of that collection must go.
 */
export interface AnnouncedWrite {
  collection: string;
  keys: Record<string, string[] | undefined>;
}

type WriteListener = (write: AnnouncedWrite) => Promise<void> | void;
const listeners = new Set<WriteListener>();

/** Hears every write announced by `announceWrites`; returns the function that stops it. */
export function onAnnouncedWrite(listener: WriteListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const QUERY_WRITES: MongooseQueryMiddleware[] = [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'replaceOne',
  'deleteOne',
  'deleteMany',
];

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Types.ObjectId) return value.toHexString();
  return undefined;
}

/** The ids a filter or document field names; undefined when it names none it can tell. */
function idsOf(value: unknown): string[] | undefined {
  const single = idOf(value);
  if (single !== undefined) return [single];
  if (!value || typeof value !== 'object') return undefined;
  const { $in, $eq } = value as { $in?: unknown; $eq?: unknown };
  if ($eq !== undefined) return idsOf($eq);
  if (!Array.isArray($in)) return undefined;
  const ids = $in.map(idOf);
  return ids.every((id) => id !== undefined) ? ids : undefined;
}

async function announce(write: AnnouncedWrite): Promise<void> {
  await Promise.all([...listeners].map(async (listener) => listener(write)));
}

/**
 * A schema plugin: after every write through the model (query writes, `save`, a document's
 * `deleteOne`, `bulkWrite`), the listeners hear which documents it touched, and the write's
 * caller gets its answer only once they have (a cache is cleared, an invalidation published).
 * Inserts are not announced: nothing can have cached a document before it existed.
 */
export function announceWrites(collection: string, fields: readonly string[]) {
  return (schema: Schema): void => {
    schema.post(
      QUERY_WRITES,
      { document: false, query: true },
      async function (this: { getFilter(): Record<string, unknown> }) {
        const filter = this.getFilter();
        await announce({
          collection,
          keys: Object.fromEntries(fields.map((field) => [field, idsOf(filter[field])])),
        });
      },
    );
    const announceDocument = (document: Document) =>
      announce({
        collection,
        keys: Object.fromEntries(fields.map((field) => [field, idsOf(document.get(field))])),
      });
    // `save` also inserts (`Model.create`): only a save of a document that existed is announced.
    schema.pre('save', function () {
      this.$locals.savedAsInsert = this.isNew;
    });
    schema.post('save', async function (this: Document) {
      if (!this.$locals.savedAsInsert) await announceDocument(this);
    });
    schema.post('deleteOne', { document: true, query: false }, async function (this: Document) {
      await announceDocument(this);
    });
    schema.post('bulkWrite', async () => {
      await announce({
        collection,
        keys: Object.fromEntries(fields.map((field) => [field, undefined])),
      });
    });
  };
}
