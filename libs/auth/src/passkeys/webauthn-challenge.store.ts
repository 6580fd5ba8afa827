import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import { type Ceremony, WebAuthnChallenge } from './webauthn-challenge.schema';

export interface OpenCeremony {
  challengeId: string;
  expiresAt: Date;
}

/**
 * Open ceremonies in MongoDB. Claiming is one findOneAndDelete that matches id, ceremony, user and
 * expiry together, so of two verifications racing for one challenge exactly one gets it, and a
 * wrong answer spends the challenge as a right one does.
 */
@Injectable()
export class WebAuthnChallengeStore {
  constructor(
    @InjectModel(WebAuthnChallenge.name) private readonly challenges: Model<WebAuthnChallenge>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(ceremony: Ceremony, challenge: string, userId?: string): Promise<OpenCeremony> {
    const now = new Date();
    // Swept here rather than by a TTL index, which the embedded database lacks.
    await this.challenges.deleteMany({ expiresAt: { $lte: now } }).exec();
    const expiresAt = new Date(now.getTime() + this.config.webauthn.challengeTtlMs);
    const challengeId = randomBytes(18).toString('base64url');
    await this.challenges.create({
      _id: challengeId,
      challenge,
      ceremony,
      userId: userId ?? null,
      expiresAt,
    });
    return { challengeId, expiresAt };
  }

  /** The challenge, removed; undefined when unknown, spent, expired, or another ceremony's or user's. */
  async claim(
    challengeId: string,
    ceremony: Ceremony,
    userId?: string,
  ): Promise<string | undefined> {
    const claimed = await this.challenges
      .findOneAndDelete({
        _id: challengeId,
        ceremony,
        userId: userId ?? null,
        expiresAt: { $gt: new Date() },
      })
      .lean()
      .exec();
    return claimed?.challenge;
  }

  async forget(userId: string): Promise<void> {
    await this.challenges.deleteMany({ userId }).exec();
  }
}
