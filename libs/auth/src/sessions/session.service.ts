import {
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { SecurityEventsService } from '@strongroom/audit';
import { type ClientContext, findOneRecord, isDuplicateKeyError } from '@strongroom/common';
import type { UserDocument } from '@strongroom/users';
import { RefreshTokenService } from '../tokens/refresh-token.service';
import type { SessionResponse } from './dto/session.dto';
import { describeDevice } from './session-device';
import { Session } from './session.schema';

const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface SessionRevocation {
  /** Whose sessions; with `exceptId`, all but that one. */
  userId: string;
  exceptId?: string;
  actorId: string;
  client: ClientContext;
}

/**
 * Signed-in sessions. Ending one marks it revoked and revokes its refresh-token family, so its
 * refresh fails and its access tokens are refused at the next request (JwtStrategy asks isActive).
 */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Sessions');
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
    private readonly refreshTokens: RefreshTokenService,
    private readonly events: SecurityEventsService,
  ) {}

  /** A new session for a sign-in; its id is also its refresh-token family. */
  async start(user: UserDocument, client: ClientContext): Promise<string> {
    const now = new Date();
    const session = await this.sessions.create({
      _id: randomUUID(),
      userId: user.id as string,
      tokenVersion: user.tokenVersion,
      createdAt: now,
      lastUsedAt: now,
      ip: client.ip,
      userAgent: client.userAgent ?? null,
      device: describeDevice(client.userAgent),
      expiresAt: this.expiryFrom(now),
    });
    return session._id;
  }

  /**
   * Records a refresh; false when the session was revoked meanwhile. A family from before sessions
   * were recorded gets its record here (the upsert); a revoked one makes the upsert collide with
   * the existing id instead of reviving it.
   */
  async touch(sessionId: string, user: UserDocument, client: ClientContext): Promise<boolean> {
    const now = new Date();
    try {
      await this.sessions
        .updateOne(
          { _id: sessionId, userId: user.id as string, revokedAt: null },
          {
            $set: { lastUsedAt: now, ip: client.ip, expiresAt: this.expiryFrom(now) },
            $setOnInsert: {
              tokenVersion: user.tokenVersion,
              createdAt: now,
              userAgent: client.userAgent ?? null,
              device: describeDevice(client.userAgent),
            },
          },
          { upsert: true },
        )
        .exec();
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /**
   * One indexed lookup by id, on every request whose principal is not cached: read plain,
   * without a mongoose Query. Session ids are stored as strings (not ObjectIds).
   */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const filter = { _id: sessionId, userId, revokedAt: null };
    return (await findOneRecord(this.sessions, filter, { _id: 1 })) !== null;
  }

  /** The user's live sessions, most recently used first. */
  async list(user: UserDocument, currentId?: string): Promise<SessionResponse[]> {
    const sessions = await this.sessions
      .find({
        userId: user.id as string,
        tokenVersion: user.tokenVersion,
        revokedAt: null,
        expiresAt: { $gt: new Date() },
      })
      .sort({ lastUsedAt: -1, _id: 1 })
      .lean()
      .exec();
    return sessions.map((session) => ({
      id: session._id,
      current: session._id === currentId,
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      expiresAt: session.expiresAt,
      ip: session.ip,
      device: session.device,
      userAgent: session.userAgent,
    }));
  }

  /** Ends one of the user's sessions; another user's is "not found" alike. */
  async revoke(userId: string, sessionId: string, actorId: string, client: ClientContext) {
    const ended = await this.sessions
      .findOneAndUpdate(
        { _id: sessionId, userId, revokedAt: null },
        { $set: { revokedAt: new Date() } },
      )
      .exec();
    if (!ended) throw new NotFoundException('Session not found');
    await this.refreshTokens.revokeFamily(sessionId);
    await this.events.record({
      type: 'session_revoked',
      client,
      actorId,
      subjectId: userId,
      details: { sessionId, sessions: 1 },
    });
  }

  /** Ends every session of the user, or every one but `exceptId`; answers how many. */
  async revokeAll({ userId, exceptId, actorId, client }: SessionRevocation): Promise<number> {
    const filter = exceptId
      ? { userId, revokedAt: null, _id: { $ne: exceptId } }
      : { userId, revokedAt: null };
    const { modifiedCount } = await this.sessions
      .updateMany(filter, { $set: { revokedAt: new Date() } })
      .exec();
    // Families without a session record (issued before sessions were kept) end too.
    await this.refreshTokens.revokeFamiliesOf(userId, exceptId);
    await this.events.record({
      type: 'session_revoked',
      client,
      actorId,
      subjectId: userId,
      details: { sessions: modifiedCount, keptCurrent: exceptId !== undefined },
    });
    return modifiedCount;
  }

  /** Logout, a reused refresh token, an account that changed: no event of its own. */
  async end(sessionId: string): Promise<void> {
    await this.sessions
      .updateOne({ _id: sessionId, revokedAt: null }, { $set: { revokedAt: new Date() } })
      .exec();
    await this.refreshTokens.revokeFamily(sessionId);
  }

  /** Erasure step for a deleted user. */
  async deleteAllFor(userId: string): Promise<void> {
    await this.sessions.deleteMany({ userId }).exec();
  }

  onModuleInit(): void {
    // No TTL indexes (the embedded database lacks them): expired sessions are swept here.
    this.sweepTimer = setInterval(() => void this.sweepExpired(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  async sweepExpired(): Promise<number> {
    try {
      const { deletedCount } = await this.sessions
        .deleteMany({ expiresAt: { $lt: new Date() } })
        .exec();
      return deletedCount;
    } catch (error) {
      this.logger.warn(`sweeping expired sessions failed: ${(error as Error).message}`);
      return 0;
    }
  }

  private expiryFrom(now: Date): Date {
    return new Date(now.getTime() + this.refreshTokens.lifetimeMs);
  }
}
