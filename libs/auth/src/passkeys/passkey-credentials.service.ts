import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model } from 'mongoose';
import { indexesBuilt, isDuplicateKeyError } from '@strongroom/common';
import { Passkey } from './passkey.schema';
import type { NewCredential } from './webauthn-relying-party';

export type PasskeyRecord = Passkey & { id: string };

const NOT_FOUND = 'Passkey not found';

const toRecord = ({ _id, ...rest }: Passkey & { _id: unknown }): PasskeyRecord => ({
  ...rest,
  id: String(_id),
});

/** Users' passkeys: one document per credential, the credential id unique across all users. */
@Injectable()
export class PasskeyCredentials {
  private readonly indexesBuilt: () => Promise<unknown>;

  constructor(@InjectModel(Passkey.name) private readonly passkeys: Model<Passkey>) {
    this.indexesBuilt = indexesBuilt(passkeys);
  }

  async listFor(userId: string): Promise<PasskeyRecord[]> {
    const rows = await this.passkeys.find({ userId }).sort({ createdAt: 1, _id: 1 }).lean().exec();
    return rows.map(toRecord);
  }

  async hasAny(userId: string): Promise<boolean> {
    return (await this.passkeys.exists({ userId }).exec()) !== null;
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined> {
    const row = await this.passkeys.findOne({ credentialId }).lean().exec();
    return row ? toRecord(row) : undefined;
  }

  async add(userId: string, name: string, credential: NewCredential): Promise<PasskeyRecord> {
    await this.indexesBuilt();
    try {
      const created = await this.passkeys.create({ ...credential, userId, name });
      return toRecord(created.toObject());
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new ConflictException('This passkey is already registered');
      }
      throw error;
    }
  }

  async rename(userId: string, id: string, name: string): Promise<PasskeyRecord> {
    const row = isValidObjectId(id)
      ? await this.passkeys
          .findOneAndUpdate({ _id: id, userId }, { $set: { name } }, { new: true })
          .lean()
          .exec()
      : null;
    if (!row) throw new NotFoundException(NOT_FOUND);
    return toRecord(row);
  }

  /** The caller's passkey, or 404 alike for an unknown id and another user's. */
  async get(userId: string, id: string): Promise<PasskeyRecord> {
    const row = isValidObjectId(id)
      ? await this.passkeys.findOne({ _id: id, userId }).lean().exec()
      : null;
    if (!row) throw new NotFoundException(NOT_FOUND);
    return toRecord(row);
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.passkeys.deleteOne({ _id: id, userId }).exec();
  }

  /**
   * Records a use and the new counter in one conditional update: it matches only while the stored
   * counter is still below the new one (or both are 0), so of two assertions racing with counters
   * 5 and 6 the one that lost is refused like a counter that went backwards.
   */
  async recordUse(id: string, counter: number): Promise<boolean> {
    const result = await this.passkeys
      .updateOne(
        { _id: id, counter: counter === 0 ? 0 : { $lt: counter } },
        { $set: { counter, lastUsedAt: new Date() } },
      )
      .exec();
    return result.matchedCount === 1;
  }

  async removeAllOf(userId: string): Promise<void> {
    await this.passkeys.deleteMany({ userId }).exec();
  }
}
