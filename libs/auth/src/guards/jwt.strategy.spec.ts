import type Redis from 'ioredis';
import { Types } from 'mongoose';
import type { AppConfig } from '@strongroom/config';
import { PrincipalAccounts, type UsersService } from '@strongroom/users';
import { PrincipalCacheSync } from '../principal-cache/principal-cache.sync';
import { PrincipalInvalidations } from '../principal-cache/principal-invalidations';
import type { SessionService } from '../sessions/session.service';
import type { AccessTokenService } from '../tokens/access-token.service';
import { JwtStrategy } from './jwt.strategy';

const claims = { sub: '6650f1c2a1b2c3d4e5f60718', sid: 'session-1', ver: 2, typ: 'access' };

describe('JwtStrategy.validate', () => {
  let user: {
    _id: Types.ObjectId;
    email: string;
    role: string;
    disabled: boolean;
    tokenVersion: number;
  };
  let findAccount: jest.Mock;
  let isActive: jest.Mock;
  let principals: PrincipalCacheSync;
  let invalidations: PrincipalInvalidations;
  let principalAccounts: PrincipalAccounts;
  let strategy: JwtStrategy;

  beforeEach(async () => {
    user = {
      _id: new Types.ObjectId(claims.sub),
      email: 'a@example.com',
      role: 'user',
      disabled: false,
      tokenVersion: 2,
    };
    findAccount = jest.fn(() => Promise.resolve(user));
    isActive = jest.fn(() => Promise.resolve(true));
    const config = { auth: { secretKey: 'x'.repeat(32), principalCacheTtlMs: 30_000 } };
    const subscriber = {
      on: (event: string, handler: () => void) => event === 'ready' && handler(),
      subscribe: jest.fn(() => Promise.resolve()),
      quit: jest.fn(() => Promise.resolve()),
    };
    const redis = { duplicate: () => subscriber, publish: jest.fn() } as unknown as Redis;
    invalidations = new PrincipalInvalidations(redis);
    principals = new PrincipalCacheSync(config as AppConfig, redis, invalidations);
    await principals.onModuleInit();
    principalAccounts = new PrincipalAccounts();
    strategy = new JwtStrategy(
      config as AppConfig,
      { findAccount } as unknown as UsersService,
      { hasIssuedLifetime: () => true } as unknown as AccessTokenService,
      { isActive } as unknown as SessionService,
      principals,
      principalAccounts,
    );
  });
  afterEach(() => invalidations.onModuleDestroy());

  it('looks the user and the session up once, then answers from the cache', async () => {
    const first = await strategy.validate(claims);
    expect(await strategy.validate(claims)).toEqual(first);
    expect(first).toEqual({
      id: claims.sub,
      email: user.email,
      role: 'user',
      sessionId: 'session-1',
    });
    expect([findAccount.mock.calls.length, isActive.mock.calls.length]).toEqual([1, 1]);
  });

  it('looks them up again after a write to the user or the session, and refuses what changed', async () => {
    await strategy.validate(claims);
    principals.cache.invalidate({ users: [claims.sub] });
    user.disabled = true;
    await expect(strategy.validate(claims)).rejects.toThrow(/session has ended/);
    user.disabled = false;
    await strategy.validate(claims);
    principals.cache.invalidate({ sessions: ['session-1'] });
    isActive.mockResolvedValue(false);
    await expect(strategy.validate(claims)).rejects.toThrow(/session has ended/);
    expect(findAccount).toHaveBeenCalledTimes(4);
  });

  it('keeps the account it read with the principal, until a write to the user drops both', async () => {
    const first = await strategy.validate(claims);
    expect(principalAccounts.of(first)).toBe(user);
    expect(principalAccounts.of(await strategy.validate(claims))).toBe(user);
    principals.cache.invalidate({ users: [claims.sub] });
    user = { ...user, email: 'b@example.com' };
    findAccount.mockResolvedValue(user);
    const after = await strategy.validate(claims);
    expect(principalAccounts.of(after)).toEqual(
      expect.objectContaining({ email: 'b@example.com' }),
    );
    expect(findAccount).toHaveBeenCalledTimes(2);
  });

  it('caches nothing without Redis, which alone can tell it of a change made elsewhere', () => {
    const config = { auth: { secretKey: 'x'.repeat(32), principalCacheTtlMs: 30_000 } };
    const alone = new PrincipalCacheSync(
      config as AppConfig,
      null,
      new PrincipalInvalidations(null),
    );
    expect(alone.cache.enabled).toBe(false);
  });

  it('never answers from the cache for a token of another version', async () => {
    await strategy.validate(claims);
    await expect(strategy.validate({ ...claims, ver: 1 })).rejects.toThrow(/session has ended/);
    expect(findAccount).toHaveBeenCalledTimes(2);
  });
});
