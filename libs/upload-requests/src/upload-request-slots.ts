import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import { claimNumberedSlot, indexesBuilt } from '@strongroom/common';
import { UploadRequestSlot, type UploadRequestSlotDocument } from './upload-request-slot.schema';
import type { UploadRequestDocument } from './upload-request.schema';

export interface SlotEntry {
  size: number;
  visitId: Types.ObjectId;
  fileId: Types.ObjectId;
  name: string;
}

export type SlotClaim =
  { taken: true; id: Types.ObjectId } | { taken: false; refusal: 'maxFiles' | 'maxTotalSize' };

export interface RequestUsage {
  files: number;
  bytes: number;
}

/**
 * The files a request has received, as numbered records (claimNumberedSlot, as for link
 * downloads): a request with `maxFiles: n` hands out only the numbers 0…n-1, so no two uploads,
 * on one instance or many, can both take the last place. `maxTotalSize` is checked after the
 * insert against the sum of every record, own included: of two uploads racing for the last bytes
 * each sees the other, so both may be refused, but never both kept over the limit. No counter on
 * the request, whose concurrent updates the embedded database (FerretDB) could lose.
 */
@Injectable()
export class UploadRequestSlots implements OnModuleInit {
  private readonly indexesBuilt: () => Promise<unknown>;

  constructor(
    @InjectModel(UploadRequestSlot.name) private readonly slots: Model<UploadRequestSlot>,
  ) {
    this.indexesBuilt = indexesBuilt(slots);
  }

  async onModuleInit(): Promise<void> {
    await this.indexesBuilt();
  }

  async claim(request: UploadRequestDocument, entry: SlotEntry): Promise<SlotClaim> {
    await this.indexesBuilt();
    const requestId = request._id;
    const claimed = await claimNumberedSlot(
      {
        taken: (below) =>
          this.slots
            .countDocuments(
              below === undefined ? { requestId } : { requestId, slot: { $lt: below } },
            )
            .exec(),
        insert: (slot) => this.slots.create({ requestId, slot, ...entry }),
      },
      request.maxFiles ?? Number.POSITIVE_INFINITY,
    );
    if (!claimed) return { taken: false, refusal: 'maxFiles' };
    if (request.maxTotalSize !== null) {
      const { bytes } = await this.usage(requestId);
      if (bytes > request.maxTotalSize) {
        await this.release(claimed._id);
        return { taken: false, refusal: 'maxTotalSize' };
      }
    }
    return { taken: true, id: claimed._id };
  }

  /** Gives a place back (the file was refused after all, by the owner's quota). */
  async release(id: Types.ObjectId): Promise<void> {
    await this.slots.deleteOne({ _id: id }).exec();
  }

  async usage(requestId: Types.ObjectId): Promise<RequestUsage> {
    return (await this.usages([requestId])).get(requestId.toHexString()) ?? { files: 0, bytes: 0 };
  }

  /**
   * Files and bytes received per request, for listing several at once. Summed here rather than by
   * `$group`/`$sum`, which the embedded database (FerretDB) answers with 0 for field sums.
   */
  async usages(requestIds: Types.ObjectId[]): Promise<Map<string, RequestUsage>> {
    const rows = await this.slots
      .find({ requestId: { $in: requestIds } }, { requestId: 1, size: 1 })
      .lean()
      .exec();
    const usages = new Map<string, RequestUsage>();
    for (const row of rows) {
      const key = row.requestId.toHexString();
      const usage = usages.get(key) ?? { files: 0, bytes: 0 };
      usages.set(key, { files: usage.files + 1, bytes: usage.bytes + row.size });
    }
    return usages;
  }

  /** What one visit sent, oldest first: the only list a visitor ever sees. */
  forVisit(visitId: Types.ObjectId): Promise<UploadRequestSlotDocument[]> {
    return this.slots.find({ visitId }).sort({ createdAt: 1, _id: 1 }).exec();
  }

  forRequest(requestId: Types.ObjectId): Promise<UploadRequestSlotDocument[]> {
    return this.slots.find({ requestId }).sort({ createdAt: 1, _id: 1 }).exec();
  }

  async deleteForRequests(requestIds: Types.ObjectId[]): Promise<void> {
    await this.slots.deleteMany({ requestId: { $in: requestIds } }).exec();
  }
}
