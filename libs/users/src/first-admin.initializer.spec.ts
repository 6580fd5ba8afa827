import { ConflictException } from '@nestjs/common';
import type { AppConfig } from '@strongroom/config';
import { FirstAdminInitializer } from './first-admin.initializer';
import type { UsersService } from './users.service';

const ADMIN = { email: 'root@example.com', password: 'granite falcon ledger sunrise 9' };

function initializer(users: Partial<Record<keyof UsersService, jest.Mock>>) {
  const config = { auth: { admin: ADMIN } } as AppConfig;
  return new FirstAdminInitializer(config, users as unknown as UsersService);
}

describe('FirstAdminInitializer with several instances starting at once', () => {
  it('accepts that another instance created the admin first', async () => {
    const users = {
      adminExists: jest.fn().mockResolvedValue(false),
      findByEmail: jest
        .fn()
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce({ email: ADMIN.email, role: 'admin' }),
      create: jest.fn().mockRejectedValue(new ConflictException('exists')),
    };
    await expect(initializer(users).onApplicationBootstrap()).resolves.toBeUndefined();
  });

  it('still refuses when the account that won the race is not an admin', async () => {
    const users = {
      adminExists: jest.fn().mockResolvedValue(false),
      findByEmail: jest
        .fn()
        .mockResolvedValueOnce(null)
        .mockResolvedValueOnce({ email: ADMIN.email, role: 'user' }),
      create: jest.fn().mockRejectedValue(new ConflictException('exists')),
    };
    await expect(initializer(users).onApplicationBootstrap()).rejects.toThrow(
      /^ADMIN_EMAIL is taken by, or looks like the email of, an existing non-admin account/,
    );
  });

  it('refuses, naming ADMIN_EMAIL, when an account with a lookalike address exists', async () => {
    const users = {
      adminExists: jest.fn().mockResolvedValue(false),
      findByEmail: jest.fn().mockResolvedValue(null),
      create: jest.fn().mockRejectedValue(new ConflictException('exists')),
    };
    await expect(initializer(users).onApplicationBootstrap()).rejects.toThrow(/^ADMIN_EMAIL/);
  });
});
