import { UnauthorizedException } from '@nestjs/common';
import type { Model } from 'mongoose';
import type { UsersService } from '@strongroom/users';
import { ApiKeyAuthenticator } from './api-key-authenticator.service';
import { generateApiKey } from './api-key-secret';
import type { ApiKeyUsageRecorder } from './api-key-usage.recorder';
import type { ApiKey } from './api-key.schema';

describe('ApiKeyAuthenticator', () => {
  it('refuses a mistyped key by its checksum, before any lookup', async () => {
    const findOne = jest.fn();
    const findById = jest.fn();
    const authenticator = new ApiKeyAuthenticator(
      { findOne } as unknown as Model<ApiKey>,
      { findById } as unknown as UsersService,
      { record: jest.fn() } as unknown as ApiKeyUsageRecorder,
    );
    const key = generateApiKey();
    const typo = `${key.slice(0, 20)}${key[20] === 'Z' ? 'Y' : 'Z'}${key.slice(21)}`;

    await expect(authenticator.authenticate(typo, { requestId: 'r', ip: '::1' })).rejects.toThrow(
      new UnauthorizedException(
        'Invalid API key: it is mistyped or truncated (its checksum does not match)',
      ),
    );
    expect(findOne).not.toHaveBeenCalled();
    expect(findById).not.toHaveBeenCalled();
  });
});
