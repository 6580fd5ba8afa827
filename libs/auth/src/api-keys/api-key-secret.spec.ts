import { API_KEY_PREFIX, generateApiKey, hashApiKey, isWellFormedApiKey } from './api-key-secret';

describe('API key secrets', () => {
  it('are sr_ keys of 52 base62 characters that pass their own checksum', () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey());
    for (const key of keys) {
      expect(key).toMatch(/^sr_[0-9A-Za-z]{49}$/);
      expect(isWellFormedApiKey(key)).toBe(true);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses every single-character typo and a truncated key', () => {
    const key = generateApiKey();
    for (let i = API_KEY_PREFIX.length; i < key.length; i += 1) {
      const replacement = key[i] === 'a' ? 'b' : 'a';
      expect(isWellFormedApiKey(key.slice(0, i) + replacement + key.slice(i + 1))).toBe(false);
    }
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}x`)).toBe(false);
  });

  it('refuses other bearer credentials', () => {
    expect(isWellFormedApiKey('eyJhbGciOiJIUzI1NiJ9.e30.sig')).toBe(false);
    expect(isWellFormedApiKey(`sr_${'0'.repeat(49)}`)).toBe(false);
  });

  it('hashes to a stable SHA-256', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).toBe(hashApiKey(key));
  });
});
