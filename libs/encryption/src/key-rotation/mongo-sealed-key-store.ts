import { type Model, Types, type UpdateQuery } from 'mongoose';
import type { KeyProviderName } from '@strongroom/config';
import type { WrappedKey } from '../key-wrapping/key-wrapper.port';
import type { KeyRef, SealedKey, SealedKeyStore } from './sealed-key-store';

export interface MongoSealedKeyFields<T> {
  kind: string;
  /** Dotted paths of the key id and the sealed bytes inside each document. */
  kekIdPath: string;
  wrappedKeyPath: string;
  /** Where the provider is kept; without one, the records stay local (SealedKeyStore.localOnly). */
  keyProviderPath?: string;
  /** What the seal of this document is bound to, as it was passed to `KeyRing.wrap`. */
  binding: (document: T & { _id: Types.ObjectId }) => string;
}

/** A collection whose documents each hold one seal at the given paths. */
export class MongoSealedKeyStore<T> implements SealedKeyStore {
  readonly kind: string;
  readonly localOnly: boolean;

  constructor(
    private readonly model: Model<T>,
    private readonly fields: MongoSealedKeyFields<T>,
  ) {
    this.kind = fields.kind;
    this.localOnly = fields.keyProviderPath === undefined;
  }

  countNotUnder(current: KeyRef): Promise<number> {
    return this.model.countDocuments(this.notUnder(current)).exec();
  }

  async nextNotUnder(
    current: KeyRef,
    afterId: string | undefined,
    limit: number,
  ): Promise<SealedKey[]> {
    const filter = afterId
      ? { ...this.notUnder(current), _id: { $gt: new Types.ObjectId(afterId) } }
      : this.notUnder(current);
    const documents = (await this.model
      .find(filter)
      .sort({ _id: 1 })
      .limit(limit)
      .lean()
      .exec()) as unknown as (T & { _id: Types.ObjectId })[];
    return documents.map((document) => this.sealedOf(document));
  }

  async replace(previous: SealedKey, next: WrappedKey): Promise<boolean> {
    const { kekIdPath, wrappedKeyPath, keyProviderPath } = this.fields;
    const set: Record<string, string> = {
      [kekIdPath]: next.kekId,
      [wrappedKeyPath]: next.wrappedKey,
    };
    if (keyProviderPath) set[keyProviderPath] = next.keyProvider ?? 'local';
    const { modifiedCount } = await this.model
      .updateOne(
        {
          _id: new Types.ObjectId(previous.id),
          [kekIdPath]: previous.kekId,
          [wrappedKeyPath]: previous.wrappedKey,
        },
        { $set: set } as UpdateQuery<T>,
      )
      .exec();
    return modifiedCount === 1;
  }

  async onePerKey(): Promise<SealedKey[]> {
    const ids = (await this.model.distinct(this.fields.kekIdPath).exec()) as unknown[];
    const sealed: SealedKey[] = [];
    for (const kekId of ids.filter((id): id is string => typeof id === 'string').sort()) {
      const document = (await this.model
        .findOne({ [this.fields.kekIdPath]: kekId })
        .sort({ _id: 1 })
        .lean()
        .exec()) as (T & { _id: Types.ObjectId }) | null;
      if (document) sealed.push(this.sealedOf(document));
    }
    return sealed;
  }

  private sealedOf(document: T & { _id: Types.ObjectId }): SealedKey {
    const { keyProviderPath } = this.fields;
    return {
      id: document._id.toHexString(),
      keyProvider: keyProviderPath
        ? (valueAt(document, keyProviderPath) as KeyProviderName | undefined)
        : undefined,
      kekId: valueAt(document, this.fields.kekIdPath),
      wrappedKey: valueAt(document, this.fields.wrappedKeyPath),
      binding: this.fields.binding(document),
    };
  }

  private notUnder(current: KeyRef) {
    const { kekIdPath, keyProviderPath } = this.fields;
    if (!keyProviderPath) return { [kekIdPath]: { $exists: true, $ne: current.kekId } };
    return {
      [kekIdPath]: { $exists: true },
      $or: [
        { [kekIdPath]: { $ne: current.kekId } },
        // A record without a provider is local's: it is under a local key already.
        {
          [keyProviderPath]:
            current.provider === 'local'
              ? { $exists: true, $ne: 'local' }
              : { $ne: current.provider },
        },
      ],
    };
  }
}

function valueAt(document: object, path: string): string {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], document) as string;
}
