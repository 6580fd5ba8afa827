import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { claimNumberedSlot, indexesBuilt } from '@strongroom/common';
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
 * The numbering itself is claimNumberedSlot's, shared with the login lockout.
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
    const claimed = await claimNumberedSlot(
      {
        taken: (below) =>
          this.slots
            .countDocuments(below === undefined ? { linkId } : { linkId, slot: { $lt: below } })
            .exec(),
        insert: (slot) => this.slots.create({ linkId, slot }),
      },
      maxDownloads ?? Number.POSITIVE_INFINITY,
    );
    return claimed?._id;
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
}
