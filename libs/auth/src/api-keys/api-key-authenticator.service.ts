import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { AuthenticatedUser, ClientContext } from '@strongroom/common';
import { UsersService } from '@strongroom/users';
import { hashApiKey, isWellFormedApiKey } from './api-key-secret';
import { ApiKey } from './api-key.schema';
import { ApiKeyUsageRecorder } from './api-key-usage.recorder';

/**
 * Turns `Authorization: Bearer sr_…` into the caller: the key must be well formed (checked before
 * any lookup), known, unexpired, and its owner must exist and be enabled. The owner's role is read
 * on every request, so a demotion narrows what the key can do at once.
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    @InjectModel(ApiKey.name) private readonly keys: Model<ApiKey>,
    private readonly users: UsersService,
    private readonly usage: ApiKeyUsageRecorder,
  ) {}

  async authenticate(secret: string, client: ClientContext): Promise<AuthenticatedUser> {
    if (!isWellFormedApiKey(secret)) {
      throw new UnauthorizedException(
        'Invalid API key: it is mistyped or truncated (its checksum does not match)',
      );
    }
    const key = await this.keys.findOne({ secretHash: hashApiKey(secret) }).exec();
    if (!key) throw new UnauthorizedException('Unknown or revoked API key');
    if (key.expiresAt.getTime() <= Date.now()) {
      throw new UnauthorizedException(
        `This API key expired at ${key.expiresAt.toISOString()}; create a new one`,
      );
    }
    const owner = await this.users.findById(key.userId);
    if (!owner || owner.disabled) {
      throw new UnauthorizedException('The account this API key belongs to is disabled or gone');
    }
    await this.usage.record(key, client);
    return {
      id: owner.id as string,
      email: owner.email,
      role: owner.role,
      apiKey: { id: key.id as string, scopes: key.scopes },
    };
  }
}
