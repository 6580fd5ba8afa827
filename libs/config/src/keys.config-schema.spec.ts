import {
  parseTestEnvironment as parse,
  configProblems as problemsOf,
} from './config-environment.fixture';

const PRODUCTION = {
  ENVIRONMENT: 'production',
  MONGO_URL: 'mongodb://db/strongroom',
  SECRET_KEY: 's'.repeat(48),
  ALLOWED_ORIGINS: 'https://files.example.com',
  PUBLIC_URL: 'https://files.example.com',
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 2).toString('base64')}`,
  METRICS_TOKEN: 'm'.repeat(48),
  AUDIT_SIGNING_KEY: Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7)).toString('base64'),
};

const KMS = {
  KEY_PROVIDER: 'aws-kms',
  AWS_KMS_KEY_ID: 'alias/strongroom',
  AWS_KMS_REGION: 'eu-central-1',
};

describe('key provider configuration', () => {
  it('defaults to local keys and a 30-second cache of 1000 keys', () => {
    expect(parse({}).keys).toEqual({
      provider: 'local',
      awsKms: undefined,
      cache: { ttlMs: 30_000, maxEntries: 1000 },
    });
  });

  it('reads the aws-kms settings, which stay available for unwrapping when KEY_PROVIDER is local', () => {
    expect(parse({ ...KMS, AWS_KMS_ENDPOINT: 'http://127.0.0.1:5000' }).keys.awsKms).toEqual({
      keyId: 'alias/strongroom',
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:5000',
      timeoutMs: 5_000,
    });
    const local = parse({ ...KMS, KEY_PROVIDER: 'local' }).keys;
    expect(local.provider).toBe('local');
    expect(local.awsKms?.keyId).toBe('alias/strongroom');
  });

  it('names what aws-kms is missing, and bad values', () => {
    expect(problemsOf({ KEY_PROVIDER: 'aws-kms' })).toEqual([
      expect.stringMatching(/^AWS_KMS_KEY_ID: required when KEY_PROVIDER=aws-kms/),
    ]);
    expect(problemsOf({ AWS_KMS_KEY_ID: 'alias/x' })).toEqual([
      expect.stringMatching(/^AWS_KMS_REGION: required when AWS_KMS_KEY_ID is set/),
    ]);
    expect(
      problemsOf({ KEY_PROVIDER: 'vault', KEY_CACHE_TTL: '1h', KEY_CACHE_MAX_ENTRIES: '-1' }),
    ).toEqual([
      'KEY_PROVIDER: must be one of local, aws-kms',
      expect.stringMatching(/^KEY_CACHE_TTL: must be at most 5m/),
      'KEY_CACHE_MAX_ENTRIES: must be a whole number',
    ]);
  });

  it('turns the cache off with a time of 0', () => {
    expect(parse({ KEY_CACHE_TTL: '0' }).keys.cache.ttlMs).toBe(0);
  });

  it('refuses a plain-http KMS endpoint in production, saying why', () => {
    expect(problemsOf({ ...PRODUCTION, ...KMS })).toEqual([]);
    expect(problemsOf({ ...PRODUCTION, ...KMS, AWS_KMS_ENDPOINT: 'http://kms.internal' })).toEqual([
      expect.stringMatching(/^AWS_KMS_ENDPOINT: must be https in production \(data keys travel/),
    ]);
  });
});
