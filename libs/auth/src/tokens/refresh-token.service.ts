import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import type { UserDocument } from '@strongroom/users';
import { RefreshToken } from './refresh-token.schema';

export type RotationResult =
  | { outcome: 'rotated'; token: RefreshToken }
  | { outcome: 'reused'; token: RefreshToken }
  | { outcome: 'invalid' };

const TOKEN_BYTES = 32;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class RefreshTokenService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RefreshTokens');
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @InjectModel(RefreshToken.name) private readonly tokens: Model<RefreshToken>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new opaque 256-bit token; only its hash is stored. */
  async issue(user: UserDocument, familyId: string = randomUUID()): Promise<string> {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    await this.tokens.create({
      tokenHash: hashRefreshToken(token),
      familyId,
      userId: user.id as string,
      tokenVersion: user.tokenVersion,
      expiresAt: new Date(Date.now() + this.config.auth.refreshTokenTtlMs),
    });
    return token;
  }

  /** Marks the token used in one atomic step, so two concurrent refreshes cannot both win. */
  async consume(token: string): Promise<RotationResult> {
    const tokenHash = hashRefreshToken(token);
    const now = new Date();
    const consumed = await this.tokens
      .findOneAndUpdate(
        { tokenHash, usedAt: null, revokedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
        { new: true },
      )
      .lean()
      .exec();
    if (consumed) return { outcome: 'rotated', token: consumed };
    const existing = await this.tokens.findOne({ tokenHash }).lean().exec();
    if (existing?.usedAt && !existing.revokedAt) return { outcome: 'reused', token: existing };
    return { outcome: 'invalid' };
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.tokens
      .updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } })
      .exec();
  }

  /** Every family of the user, or every one but `exceptFamilyId`. */
  async revokeFamiliesOf(userId: string, exceptFamilyId?: string): Promise<void> {
    const filter = exceptFamilyId
      ? { userId, familyId: { $ne: exceptFamilyId }, revokedAt: null }
      : { userId, revokedAt: null };
    await this.tokens.updateMany(filter, { $set: { revokedAt: new Date() } }).exec();
  }

  /** The family (session) a refresh token belongs to, used or not. */
  async familyOf(token: string): Promise<string | undefined> {
    const existing = await this.tokens
      .findOne({ tokenHash: hashRefreshToken(token) })
      .lean()
      .exec();
    return existing?.familyId;
  }

  get lifetimeMs(): number {
    return this.config.auth.refreshTokenTtlMs;
  }

  /** Erasure step for a deleted user. */
  async deleteAllFor(userId: string): Promise<void> {
    await this.tokens.deleteMany({ userId }).exec();
  }

  onModuleInit(): void {
    // No TTL indexes (the embedded database lacks them): expired tokens are swept here instead.
    this.sweepTimer = setInterval(() => void this.sweepExpired(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  async sweepExpired(): Promise<number> {
    try {
      const { deletedCount } = await this.tokens
        .deleteMany({ expiresAt: { $lt: new Date() } })
        .exec();
      return deletedCount;
    } catch (error) {
      this.logger.warn(`sweeping expired refresh tokens failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
