import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';
import { isValidObjectId, type Model, Types } from 'mongoose';
import { isDuplicateKeyError, TooManyAttemptsException } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import {
  LinkRecipientCode,
  LinkRecipientCodeAttempt,
  type LinkRecipientCodeDocument,
} from './recipient-code.schema';

export const CODE_LIFETIME_MINUTES = 10;
export const MAX_CODE_ATTEMPTS = 5;
/** A verification outlives the download grant it backs, so a grant never points at nothing. */
const VERIFIED_LIFETIME_MS = 15 * 60_000;
const CODE_FORMAT = /^\d{6}$/;

/**
 * Six-digit one-time codes for a link's named recipients: issued to one address, ten minutes, five
 * tries, used once. A new code for the same address replaces the old one.
 */
@Injectable()
export class RecipientCodes {
  private readonly key: Buffer;

  constructor(
    @InjectModel(LinkRecipientCode.name) private readonly codes: Model<LinkRecipientCode>,
    @InjectModel(LinkRecipientCodeAttempt.name)
    private readonly attempts: Model<LinkRecipientCodeAttempt>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.auth.secretKey, 'strongroom', 'link recipient code', 32),
    );
  }

  /** A fresh code for this address on this link; earlier unused ones stop working. */
  async issue(linkId: Types.ObjectId, email: string, now = Date.now()): Promise<string> {
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    await this.codes.deleteMany({ linkId, email, verifiedAt: null }).exec();
    await this.codes.create({
      linkId,
      email,
      codeHash: this.hash(linkId, email, code),
      expiresAt: new Date(now + CODE_LIFETIME_MINUTES * 60_000),
      createdAt: new Date(now),
    });
    return code;
  }

  /**
   * Checks a code; returns the verification's id for the grant. Each try first takes one of five
   * numbered slots; with none left the code is dead and the recipient asks for a new one.
   */
  async confirm(linkId: Types.ObjectId, email: string, code: string, now = Date.now()) {
    const pending = await this.codes
      .findOne({ linkId, email, verifiedAt: null, expiresAt: { $gt: new Date(now) } })
      .sort({ createdAt: -1 })
      .exec();
    if (!pending) {
      throw new UnauthorizedException(
        'No code is waiting for this address, or it has expired; ask for a new code',
      );
    }
    await this.takeAttempt(pending);
    const given = Buffer.from(this.hash(linkId, email, CODE_FORMAT.test(code) ? code : ''));
    if (!timingSafeEqual(given, Buffer.from(pending.codeHash))) {
      throw new UnauthorizedException('Wrong code; check the latest e-mail and try again');
    }
    const verified = await this.codes
      .findOneAndUpdate(
        { _id: pending._id, verifiedAt: null },
        { $set: { verifiedAt: new Date(now), expiresAt: new Date(now + VERIFIED_LIFETIME_MS) } },
        { new: true },
      )
      .exec();
    if (!verified) throw new UnauthorizedException('This code has been used; ask for a new code');
    return verified.id as string;
  }

  /** The verified address a grant's subject stands for, while the verification lasts. */
  async verifiedEmail(verificationId: string, linkId: Types.ObjectId): Promise<string | null> {
    if (!isValidObjectId(verificationId)) return null;
    const verification = await this.codes
      .findOne({
        _id: new Types.ObjectId(verificationId),
        linkId,
        verifiedAt: { $ne: null },
        expiresAt: { $gt: new Date() },
      })
      .lean()
      .exec();
    return verification?.email ?? null;
  }

  deleteForLinks(linkIds: Types.ObjectId[]): Promise<unknown> {
    return this.codes.deleteMany({ linkId: { $in: linkIds } }).exec();
  }

  private async takeAttempt(code: LinkRecipientCodeDocument): Promise<void> {
    for (let slot = 1; slot <= MAX_CODE_ATTEMPTS; slot++) {
      try {
        await this.attempts.create({ codeId: code._id, slot, expiresAt: code.expiresAt });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw new TooManyAttemptsException(
      `${MAX_CODE_ATTEMPTS} wrong codes: this code no longer works; ask for a new code`,
      60,
    );
  }

  private hash(linkId: Types.ObjectId, email: string, code: string): string {
    return createHmac('sha256', this.key)
      .update(`${linkId.toHexString()}\n${email}\n${code}`)
      .digest('base64url');
  }
}
