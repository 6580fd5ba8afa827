import { describeRedisUrl } from './redis-url';

describe('describeRedisUrl', () => {
  it.each([
    ['redis://127.0.0.1:6380', '127.0.0.1:6380'],
    ['redis://:s3cret@cache.internal/0', 'cache.internal:6379'],
    ['rediss://user:s3cret@cache.example.com:6390/2', 'cache.example.com:6390'],
    ['redis://[::1', 'the configured Redis'],
  ])('%s is shown as %s', (url, shown) => {
    expect(describeRedisUrl(url)).toBe(shown);
    expect(describeRedisUrl(url)).not.toContain('s3cret');
  });
});
