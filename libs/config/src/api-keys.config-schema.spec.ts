import { type ConfigValidationError } from './config.schema';
import { parseTestEnvironment as parse } from './config-environment.fixture';

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
