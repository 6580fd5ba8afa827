import { type ConfigValidationError } from './config.schema';
import { parseTestEnvironment as parse } from './config-environment.fixture';

describe('webhook configuration', () => {
  it('allows no internal host, waits 10 s per delivery and retries for about three days', () => {
    expect(parse({}).webhooks).toEqual({
      allowedHosts: [],
      timeoutMs: 10_000,
      retryBaseMs: 30_000,
      maxAttempts: 12,
    });
  });

  it('reads the allow-list as lower-case bare hosts, IPv6 literals without brackets', () => {
    const { webhooks } = parse({
      WEBHOOK_ALLOWED_HOSTS: 'Hooks.Internal, 127.0.0.1,[::1]',
      WEBHOOK_TIMEOUT: '2s',
      WEBHOOK_RETRY_BASE: '100ms',
      WEBHOOK_MAX_ATTEMPTS: '3',
    });
    expect(webhooks).toEqual({
      allowedHosts: ['hooks.internal', '127.0.0.1', '::1'],
      timeoutMs: 2_000,
      retryBaseMs: 100,
      maxAttempts: 3,
    });
  });

  it.each([
    ['WEBHOOK_ALLOWED_HOSTS', 'https://hooks.internal'],
    ['WEBHOOK_ALLOWED_HOSTS', 'hooks.internal:8080'],
    ['WEBHOOK_TIMEOUT', '5m'],
    ['WEBHOOK_MAX_ATTEMPTS', '0'],
  ])('refuses %s=%s, naming it', (name, value) => {
    try {
      parse({ [name]: value });
      throw new Error('expected a rejection');
    } catch (error) {
      expect((error as ConfigValidationError).message).toContain(name);
    }
  });
});
