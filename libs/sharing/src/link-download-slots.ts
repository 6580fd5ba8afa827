import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { indexesBuilt, isDuplicateKeyError } from '@strongroom/common';
import { LinkDownloadSlot } from './link-download-slot.schema';

export type SlotClaim = Types.ObjectId;

/**
 * Counts a link's downloads as records, one per download, numbered 0, 1, 2… under a unique index
 * on (link, number). A download takes a number by inserting it; of several requests that try the
 * same number, on one instance or many, exactly one insert succeeds. A link with `maxDownloads: n`
 * only hands out the numbers 0…n-1, so it can never serve more than n downloads.
 *
 * Why not a conditional `$inc` on the link: MongoDB would bound that correctly, but the embedded
 * database (FerretDB) can lose one of two concurrent updates to a document, so two instances could
 * both win the last download; an in-process lock only serialises one instance. Inserts under a
 * unique index are safe on both, and need no lock.
 *
 * Giving a download back deletes its record, which can leave a gap below the highest number; a
 * link that has reached its last number finds such gaps by bisection (few count queries even for
 * a million downloads). Correctness never depends on that search: the index alone forbids doubles.
 */
@Injectable()
export class LinkDownloadSlots implements OnModuleInit {
  private readonly indexesBuilt: () => Promise<unknown>;

  constructor(@InjectModel(LinkDownloadSlot.name) private readonly slots: Model<LinkDownloadSlot>) {
    this.indexesBuilt = indexesBuilt(slots);
  }

  async onModuleInit(): Promise<void> {
    await this.indexesBuilt();
  }

  /** Takes a download of the link; undefined when all `maxDownloads` are taken (null: unlimited). */
  async claim(linkId: Types.ObjectId, maxDownloads: number | null): Promise<SlotClaim | undefined> {
    await this.indexesBuilt();
    let slot: number | undefined = await this.count(linkId);
    for (;;) {
      if (maxDownloads !== null && slot >= maxDownloads) {
        slot = await this.firstFreeSlot(linkId, maxDownloads);
        if (slot === undefined) return undefined;
      }
      try {
        const { _id } = await this.slots.create({ linkId, slot });
        return _id;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        slot += 1; // someone else took this number: the next one is usually free
      }
    }
  }

  /** Gives a claimed download back (its response never began). */
  async release(claim: SlotClaim): Promise<void> {
    await this.slots.deleteOne({ _id: claim }).exec();
  }

  count(linkId: Types.ObjectId): Promise<number> {
    return this.slots.countDocuments({ linkId }).exec();
  }

  /** Downloads per link, for listing several links at once. */
  async counts(linkIds: Types.ObjectId[]): Promise<Map<string, number>> {
    const grouped = await this.slots
      .aggregate<{ _id: Types.ObjectId; downloads: number }>([
        { $match: { linkId: { $in: linkIds } } },
        { $group: { _id: '$linkId', downloads: { $sum: 1 } } },
      ])
      .exec();
    return new Map(grouped.map((group) => [group._id.toHexString(), group.downloads]));
  }

  async deleteForLinks(linkIds: Types.ObjectId[]): Promise<void> {
    await this.slots.deleteMany({ linkId: { $in: linkIds } }).exec();
  }

  /**
   * The lowest number below `maxDownloads` without a record, or undefined when all are taken.
   * Fewer than m records below m means a gap below m.
   */
  private async firstFreeSlot(
    linkId: Types.ObjectId,
    maxDownloads: number,
  ): Promise<number | undefined> {
    const below = (m: number) => this.slots.countDocuments({ linkId, slot: { $lt: m } }).exec();
    if ((await below(maxDownloads)) >= maxDownloads) return undefined;
    // Invariant: all of 0…full-1 are taken, and there is a gap below gapBelow.
    let [full, gapBelow] = [0, maxDownloads];
    while (gapBelow - full > 1) {
      const middle = Math.floor((full + gapBelow) / 2);
      if ((await below(middle)) < middle) gapBelow = middle;
      else full = middle;
    }
    return full;
  }
}
