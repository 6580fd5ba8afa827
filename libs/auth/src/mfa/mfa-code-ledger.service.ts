import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { escapeRegex, indexesBuilt, isDuplicateKeyError } from '@strongroom/common';
import { MfaSpentCode } from './mfa-spent-code.schema';

/** Spent TOTP steps older than this many steps behind the newest are no longer needed. */
const STEPS_KEPT = 4;

/**
 * Makes one-time credentials one-time: spending is an insert under a unique (userId, ref) index,
 * so two concurrent uses of one code cannot both win (no counter, no read-modify-write).
 */
@Injectable()
export class MfaCodeLedger {
  private readonly indexesBuilt: () => Promise<unknown>;

  constructor(@InjectModel(MfaSpentCode.name) private readonly spent: Model<MfaSpentCode>) {
    this.indexesBuilt = indexesBuilt(spent);
  }

  /**
   * Spends a TOTP time step; false when it, or a later step, was already accepted, so neither a
   * replayed code nor an older one still inside the window gets in after a newer one did.
   */
  async spendStep(userId: string, step: number): Promise<boolean> {
    const latest = await this.spent
      .findOne({ userId, step: { $ne: null } })
      .sort({ step: -1 })
      .lean()
      .exec();
    if (latest?.step != null && latest.step >= step) return false;
    if (!(await this.insert(userId, `totp:${step}`, step))) return false;
    await this.spent.deleteMany({ userId, step: { $lt: step - STEPS_KEPT } }).exec();
    return true;
  }

  /** Spends a recovery code (by hash) or a sign-in token (by id); false if already spent. */
  spend(userId: string, ref: string): Promise<boolean> {
    return this.insert(userId, ref, null);
  }

  countSpent(userId: string, refPrefix: string): Promise<number> {
    return this.spent
      .countDocuments({ userId, ref: { $regex: `^${escapeRegex(refPrefix)}` } })
      .exec();
  }

  /** When a factor goes, so does the memory of its codes. */
  async forget(userId: string): Promise<void> {
    await this.spent.deleteMany({ userId }).exec();
  }

  private async insert(userId: string, ref: string, step: number | null): Promise<boolean> {
    await this.indexesBuilt();
    try {
      await this.spent.create({ userId, ref, step });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
