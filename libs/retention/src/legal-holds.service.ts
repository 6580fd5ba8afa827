import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import { type AuthenticatedUser, upsertRetryingRace } from '@strongroom/common';
import { type HoldSubject, LegalHold, type LegalHoldDocument } from './legal-hold.schema';

/** The legal-hold records; what a hold means for deletion is FileDeletionGuard's to decide. */
@Injectable()
export class LegalHoldsService {
  constructor(@InjectModel(LegalHold.name) private readonly holds: Model<LegalHold>) {}

  /** Places the hold, or restates the reason of one already in place (PUT is idempotent). */
  async place(
    subject: HoldSubject,
    subjectId: string,
    reason: string,
    actor: AuthenticatedUser,
  ): Promise<LegalHoldDocument> {
    const filter = { subject, subjectId: new Types.ObjectId(subjectId) };
    return upsertRetryingRace(() =>
      this.holds
        .findOneAndUpdate(
          filter,
          {
            $set: { reason, placedBy: new Types.ObjectId(actor.id), placedByEmail: actor.email },
            $setOnInsert: { placedAt: new Date() },
          },
          { upsert: true, new: true },
        )
        .exec(),
    );
  }

  /** The released hold, or null when there was none. */
  release(subject: HoldSubject, subjectId: string): Promise<LegalHoldDocument | null> {
    return this.holds
      .findOneAndDelete({ subject, subjectId: new Types.ObjectId(subjectId) })
      .exec();
  }

  /** The holds that cover a file: its own, and one on all of its owner's files. */
  covering(fileId: string, ownerId: string): Promise<LegalHoldDocument[]> {
    return this.holds
      .find({
        $or: [
          { subject: 'file', subjectId: new Types.ObjectId(fileId) },
          { subject: 'user', subjectId: new Types.ObjectId(ownerId) },
        ],
      })
      .sort({ subject: 1 })
      .exec();
  }
}
