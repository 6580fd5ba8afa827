import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { createHash, randomBytes } from 'node:crypto';
import { OidcAttempt } from './oidc-attempt.schema';

/** How long a started sign-in may take at the provider. */
export const OIDC_ATTEMPT_TTL_MS = 10 * 60_000;

const hash = (handle: string) => createHash('sha256').update(handle).digest('hex');

/** Started sign-ins, by a random handle the browser holds; only its hash is stored. */
@Injectable()
export class OidcAttemptStore {
  constructor(@InjectModel(OidcAttempt.name) private readonly attempts: Model<OidcAttempt>) {}

  /** Stores the attempt and answers the handle for the browser's cookie. */
  async save(attempt: Omit<OidcAttempt, 'handleHash' | 'expiresAt'>): Promise<string> {
    const handle = randomBytes(32).toString('base64url');
    await this.attempts.create({
      ...attempt,
      handleHash: hash(handle),
      expiresAt: new Date(Date.now() + OIDC_ATTEMPT_TTL_MS),
    });
    return handle;
  }

  /** The unexpired attempt the handle names, deleted in the same step, so it is used once. */
  async take(handle: string): Promise<OidcAttempt | undefined> {
    const attempt = await this.attempts
      .findOneAndDelete({ handleHash: hash(handle), expiresAt: { $gt: new Date() } })
      .lean()
      .exec();
    return attempt ?? undefined;
  }
}
