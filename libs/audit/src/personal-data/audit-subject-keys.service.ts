import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { indexesBuilt, isDuplicateKeyError } from '@strongroom/common';
import { AUDIT_KEY_WRAPPER, type AuditKeyWrapper } from './audit-key-wrapper.port';
import { AuditSubjectKey } from './audit-subject-key.schema';
import type { AuditSubjectKeyCache } from './audit-subject-key.cache';
import { AuditSubjectKeyCacheSync } from './audit-subject-key-cache.sync';
import { GroupedLookup } from './grouped-lookup';

const KEY_BYTES = 32;
/** What a subject's key is sealed to, as it is passed to the key wrapper (and rotate-keys). */
export const auditSubjectKeyBinding = (subjectId: string) => `audit-subject:${subjectId}`;
const bindingOf = auditSubjectKeyBinding;

/**
 * One key per person whose personal data the audit trail holds, wrapped by the key ring. Keys are
 * created by a conditional insert (subjectId is unique), never by updating a shared document, so
 * concurrent first uses on several instances agree on one key.
 */
@Injectable()
export class AuditSubjectKeys implements OnModuleInit {
  private wrapper?: AuditKeyWrapper;
  private readonly indexesBuilt: () => Promise<unknown>;
  /**
   * Every recorded event looks its subject's key up: one query per event was a round trip more
   * than the request itself made on every download. The records are cached (wrapped, as stored;
   * unwrapping is a few microseconds), and what the cache does not hold is read in shared round
   * trips, each answer read after it was asked for, so an erasure bites at once.
   */
  private readonly records: GroupedLookup<AuditSubjectKey>;
  private readonly cache: AuditSubjectKeyCache;

  constructor(
    @InjectModel(AuditSubjectKey.name) private readonly keys: Model<AuditSubjectKey>,
    private readonly moduleRef: ModuleRef,
    sync: AuditSubjectKeyCacheSync,
  ) {
    this.cache = sync.cache;
    this.indexesBuilt = indexesBuilt(keys);
    this.records = new GroupedLookup(async (subjectIds) => {
      const found = await this.keys
        .find({ subjectId: { $in: subjectIds } })
        .lean<AuditSubjectKey[]>()
        .exec();
      return new Map(found.map((record) => [record.subjectId, record]));
    });
  }

  async onModuleInit(): Promise<void> {
    try {
      this.wrapper = this.moduleRef.get<AuditKeyWrapper>(AUDIT_KEY_WRAPPER, { strict: false });
    } catch {
      // Reported at the first use: a module that never records personal data needs no key ring.
    }
    await this.indexesBuilt();
  }

  /** The key to seal the subject's data with; undefined once the subject has been erased. */
  async sealingKey(subjectId: string): Promise<Buffer | undefined> {
    const cached = this.cache.get(subjectId);
    if (cached) return this.open(cached);
    const generation = this.cache.generation;
    const existing = await this.records.get(subjectId);
    if (existing) return this.openAndCache(existing, generation);
    const key = randomBytes(KEY_BYTES);
    const created = {
      subjectId,
      ...this.keyWrapper().wrap(key, bindingOf(subjectId)),
      createdAt: new Date(),
    };
    try {
      await this.keys.create(created);
      this.cache.set(created, generation);
      return key;
    } catch (error) {
      key.fill(0);
      if (!isDuplicateKeyError(error)) throw error;
    }
    const winner = await this.find(subjectId);
    return winner ? this.openAndCache(winner, generation) : undefined;
  }

  /** The keys of those subjects that still have one; erased and unknown ones are absent. */
  async openingKeys(subjectIds: Iterable<string>): Promise<Map<string, Buffer>> {
    const ids = [...new Set(subjectIds)];
    const found = new Map<string, Buffer>();
    if (ids.length === 0) return found;
    const records = await this.keys
      .find({ subjectId: { $in: ids } })
      .lean<AuditSubjectKey[]>()
      .exec();
    for (const record of records) {
      const key = this.open(record);
      if (key) found.set(record.subjectId, key);
    }
    return found;
  }

  /**
   * Destroys the subject's key for good and leaves a tombstone, so nothing sealed for them can be
   * read again and nothing recorded about them later is sealed under a new key. Idempotent.
   */
  async erase(subjectId: string): Promise<void> {
    const erasedAt = new Date();
    try {
      await this.keys.create({ subjectId, createdAt: erasedAt, erasedAt });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.keys
        .updateOne({ subjectId }, { $set: { erasedAt }, $unset: { kekId: 1, wrappedKey: 1 } })
        .exec();
    }
  }

  private find(subjectId: string) {
    return this.keys.findOne({ subjectId }).lean<AuditSubjectKey>().exec();
  }

  private openAndCache(record: AuditSubjectKey, generation: number): Buffer | undefined {
    this.cache.set(record, generation);
    return this.open(record);
  }

  private open(record: AuditSubjectKey): Buffer | undefined {
    if (record.erasedAt || !record.kekId || !record.wrappedKey) return undefined;
    return this.keyWrapper().unwrap(
      { kekId: record.kekId, wrappedKey: record.wrappedKey },
      bindingOf(record.subjectId),
    );
  }

  private keyWrapper(): AuditKeyWrapper {
    if (!this.wrapper)
      throw new Error('no AuditKeyWrapper: import EncryptionModule beside AuditModule');
    return this.wrapper;
  }
}
