import { type ConfigValidationError, parseEnvironment, type RawEnvironment } from './config.schema';

const parse = (env: RawEnvironment) =>
  parseEnvironment(env, {
    version: '1',
    cwd: '/srv/app',
    developmentSecrets: () => ({
      secretKey: 'g'.repeat(48),
      encryptionKeys: `gen:${Buffer.alloc(32, 1).toString('base64')}`,
      auditSigningKey: Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64'),
    }),
  });

describe('personal API key configuration', () => {
  it('caps key lifetimes at a year by default', () => {
    expect(parse({}).apiKeys).toEqual({ maxTtlMs: 365 * 86_400_000 });
  });

  it('reads API_KEY_MAX_TTL with units', () => {
    expect(parse({ API_KEY_MAX_TTL: '90d' }).apiKeys).toEqual({ maxTtlMs: 90 * 86_400_000 });
  });

  it.each([['1h'], ['3650d'], ['soon']])('refuses API_KEY_MAX_TTL=%s, naming it', (value) => {
    try {
      parse({ API_KEY_MAX_TTL: value });
      throw new Error('expected a rejection');
    } catch (error) {
      expect((error as ConfigValidationError).message).toContain('API_KEY_MAX_TTL');
    }
  });
});
