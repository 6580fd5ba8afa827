import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model } from 'mongoose';
import { SecurityEventsService } from '@strongroom/audit';
import type { ClientContext } from '@strongroom/common';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';
import type { ApiKeyResponse, CreateApiKeyRequest, CreatedApiKeyResponse } from './dto/api-key.dto';
import { apiKeyHint, generateApiKey, hashApiKey } from './api-key-secret';
import { ApiKey, type ApiKeyDocument } from './api-key.schema';

const DAY_MS = 86_400_000;
const NOT_FOUND = 'API key not found';

export function toApiKeyResponse(key: ApiKeyDocument): ApiKeyResponse {
  return {
    id: key.id as string,
    name: key.name,
    scopes: key.scopes,
    hint: key.hint,
    expiresAt: key.expiresAt,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    lastUsedIp: key.lastUsedIp,
  };
}

/** Creating, listing and revoking personal API keys; using one is ApiKeyAuthenticator's. */
@Injectable()
export class ApiKeyService {
  constructor(
    @InjectModel(ApiKey.name) private readonly keys: Model<ApiKey>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: SecurityEventsService,
  ) {}

  async create(
    userId: string,
    input: CreateApiKeyRequest,
    client: ClientContext,
    now = Date.now(),
  ): Promise<CreatedApiKeyResponse> {
    const { maxTtlMs } = this.config.apiKeys;
    const expires = input.expiresAt.getTime();
    if (!(expires > now)) throw new BadRequestException('expiresAt must be in the future');
    if (expires > now + maxTtlMs) {
      throw new BadRequestException(
        `expiresAt may be at most ${Math.floor(maxTtlMs / DAY_MS)} days away (API_KEY_MAX_TTL)`,
      );
    }
    const key = generateApiKey();
    const stored = await this.keys.create({
      secretHash: hashApiKey(key),
      hint: apiKeyHint(key),
      userId,
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresAt,
    });
    await this.events.record({
      type: 'api_key_created',
      client,
      actorId: userId,
      subjectId: userId,
      details: { keyId: stored.id as string, name: stored.name, scopes: stored.scopes.join(' ') },
    });
    return { ...toApiKeyResponse(stored), key };
  }

  /** The user's keys, expired ones included (until they are revoked), newest first. */
  async list(userId: string): Promise<ApiKeyResponse[]> {
    const keys = await this.keys.find({ userId }).sort({ createdAt: -1, _id: -1 }).exec();
    return keys.map(toApiKeyResponse);
  }

  /** Revokes one of the owner's keys; another user's key is "not found" alike. */
  async revoke(
    ownerId: string,
    keyId: string,
    actorId: string,
    client: ClientContext,
  ): Promise<void> {
    if (!isValidObjectId(keyId)) throw new NotFoundException(NOT_FOUND);
    const revoked = await this.keys.findOneAndDelete({ _id: keyId, userId: ownerId }).exec();
    if (!revoked) throw new NotFoundException(NOT_FOUND);
    await this.recordRevoked(revoked, actorId, client, 'revoked');
  }

  /** Every key of the user, e.g. when they change their password and ask for it. */
  async revokeAll(
    userId: string,
    actorId: string,
    client: ClientContext | undefined,
    reason: string,
  ): Promise<number> {
    const keys = await this.keys.find({ userId }).exec();
    for (const key of keys) {
      const deleted = await this.keys.findOneAndDelete({ _id: key._id }).exec();
      if (deleted) await this.recordRevoked(deleted, actorId, client, reason);
    }
    return keys.length;
  }

  /** Erasure step for a deleted user. */
  async deleteAllFor(userId: string): Promise<void> {
    await this.keys.deleteMany({ userId }).exec();
  }

  private recordRevoked(
    key: ApiKeyDocument,
    actorId: string,
    client: ClientContext | undefined,
    reason: string,
  ): Promise<void> {
    return this.events.record({
      type: 'api_key_revoked',
      client,
      actorId,
      subjectId: key.userId,
      details: { keyId: key.id as string, name: key.name, reason },
    });
  }
}
