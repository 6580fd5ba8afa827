import { ConfigValidationError, parseEnvironment, type RawEnvironment } from './config.schema';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const AUDIT_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7)).toString('base64');
const generatedSecrets = jest.fn(() => ({
  secretKey: 'g'.repeat(48),
  encryptionKeys: `gen:${key(9)}`,
  auditSigningKey: AUDIT_KEY,
}));

function parse(env: RawEnvironment) {
  return parseEnvironment(env, {
    version: '1.2.3',
    cwd: '/srv/app',
    developmentSecrets: generatedSecrets,
  });
}

function problemsOf(env: RawEnvironment): string[] {
  try {
    parse(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const production: RawEnvironment = {
  ENVIRONMENT: 'production',
  MONGO_URL: 'mongodb://db.internal:27017/strongroom',
  SECRET_KEY: 's'.repeat(40),
  ALLOWED_ORIGINS: 'https://files.example.com',
  PUBLIC_URL: 'https://files.example.com',
  ENCRYPTION_KEYS: `k2:${key(2)},k1:${key(1)}`,
  METRICS_TOKEN: 'm'.repeat(40),
  AUDIT_SIGNING_KEY: AUDIT_KEY,
};

beforeEach(() => generatedSecrets.mockClear());

describe('development defaults', () => {
  it('needs no variable at all', () => {
    const config = parse({});
    expect(config).toMatchObject({
      environment: 'development',
      version: '1.2.3',
      dataDir: '/srv/app/var',
      webAppDir: '/srv/app/apps/web/dist',
      http: { port: 8000, allowedOrigins: 'localhost', trustProxy: false },
      database: { url: undefined },
      storage: {
        driver: 'local',
        maxFileSize: 50 * 1024 * 1024,
        tempObjectMaxAgeMs: 24 * 60 * 60_000,
        local: { path: '/srv/app/var/uploads' },
      },
      auth: {
        accessTokenTtlMs: 15 * 60_000,
        refreshTokenTtlMs: 30 * 86_400_000,
        registration: 'open',
      },
      links: { defaultTtlMs: 7 * 86_400_000, maxTtlMs: 90 * 86_400_000, requirePassword: false },
      logLevel: 'info',
    });
  });

  it('takes generated secrets from the data folder when none are set', () => {
    const config = parse({ DATA_DIR: '/tmp/sr' });
    expect(generatedSecrets).toHaveBeenCalledWith('/tmp/sr');
    expect(config.auth.secretKey).toBe('g'.repeat(48));
    expect(config.encryptionKeys).toEqual([{ id: 'gen', key: Buffer.alloc(32, 9) }]);
  });

  it('scans uploads only when CLAMAV_HOST is set, failing closed with bounded waits', () => {
    expect(parse({}).clamav).toBeUndefined();
    expect(parse({ CLAMAV_HOST: 'clamd.internal' }).clamav).toEqual({
      host: 'clamd.internal',
      port: 3310,
      failOpen: false,
      connectTimeoutMs: 5_000,
      scanTimeoutMs: 60_000,
    });
    expect(
      parse({ CLAMAV_HOST: 'c', CLAMAV_FAIL_OPEN: 'true', CLAMAV_SCAN_TIMEOUT: '5m' }).clamav,
    ).toMatchObject({ failOpen: true, scanTimeoutMs: 300_000 });
  });

  it('treats blank values as unset', () => {
    expect(parse({ PORT: '', MAX_FILE_SIZE: '  ' }).http.port).toBe(8000);
  });
});

describe('cache lifetimes', () => {
  it('turn a cache off with 0 in any unit, as README says, and refuse other non-durations', () => {
    for (const off of ['0', '0s', '0ms', ' 0m ']) {
      const config = parse({ PRINCIPAL_CACHE_TTL: off, AUDIT_KEY_CACHE_TTL: off });
      expect([config.auth.principalCacheTtlMs, config.audit.subjectKeyCacheTtlMs]).toEqual([0, 0]);
    }
    const config = parse({ PRINCIPAL_CACHE_TTL: '10s', AUDIT_KEY_CACHE_TTL: '1m' });
    expect([config.auth.principalCacheTtlMs, config.audit.subjectKeyCacheTtlMs]).toEqual([
      10_000, 60_000,
    ]);
    expect(problemsOf({ PRINCIPAL_CACHE_TTL: '-1s', AUDIT_KEY_CACHE_TTL: 'never' })).toEqual([
      expect.stringMatching(/^PRINCIPAL_CACHE_TTL: '-1s' is not a duration/),
      expect.stringMatching(/^AUDIT_KEY_CACHE_TTL: 'never' is not a duration/),
    ]);
  });
});

describe('production', () => {
  it('accepts a complete, strong configuration without generating anything', () => {
    const config = parse(production);
    expect(generatedSecrets).not.toHaveBeenCalled();
    expect(config.encryptionKeys.map((entry) => entry.id)).toEqual(['k2', 'k1']);
    expect(config.http.allowedOrigins).toEqual(['https://files.example.com']);
  });

  it('lists every missing setting at once', () => {
    const problems = problemsOf({ ENVIRONMENT: 'production' });
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'MONGO_URL',
      'SECRET_KEY',
      'ALLOWED_ORIGINS',
      'PUBLIC_URL',
      'ENCRYPTION_KEYS',
      'METRICS_TOKEN',
      'AUDIT_SIGNING_KEY',
    ]);
  });

  it('reports type errors and production rules together', () => {
    const problems = problemsOf({
      ...production,
      SECRET_KEY: 'short',
      ALLOWED_ORIGINS: 'https://a.example,*',
      PORT: 'http',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'SECRET_KEY: must be at least 32 characters',
        expect.stringMatching(/^ALLOWED_ORIGINS: \* is not allowed in production/),
        expect.stringMatching(/^PORT: must be a whole number/),
      ]),
    );
  });

  it('refuses fail-open virus scanning', () => {
    expect(problemsOf({ ...production, CLAMAV_HOST: 'clamd', CLAMAV_FAIL_OPEN: 'true' })).toEqual([
      expect.stringMatching(/^CLAMAV_FAIL_OPEN: not allowed in production/),
    ]);
    expect(parse({ ...production, CLAMAV_HOST: 'clamd' }).clamav).toMatchObject({
      failOpen: false,
    });
  });

  it('never echoes a secret value in a problem', () => {
    const problems = problemsOf({ ...production, SECRET_KEY: 'hunter2-hunter2' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});

describe('bad values name the variable and say what to use', () => {
  it.each<[RawEnvironment, RegExp]>([
    [{ MAX_FILE_SIZE: '12 parsecs' }, /^MAX_FILE_SIZE: '12 parsecs' is not a size; use .*50MB/],
    [{ ACCESS_TOKEN_TTL: 'forever' }, /^ACCESS_TOKEN_TTL: 'forever' is not a duration; use .*15m/],
    [{ PORT: '70000' }, /^PORT: /],
    [{ TEMP_OBJECT_MAX_AGE: '10m' }, /^TEMP_OBJECT_MAX_AGE: must be at least 1h/],
    [{ TEMP_OBJECT_MAX_AGE: 'soon' }, /^TEMP_OBJECT_MAX_AGE: 'soon' is not a duration/],
    [{ ENVIRONMENT: 'staging' }, /^ENVIRONMENT: must be one of development, test, production/],
    [{ STORAGE_DRIVER: 'ftp' }, /^STORAGE_DRIVER: must be one of local, s3, gcs/],
    [{ MONGO_URL: 'postgres://x' }, /^MONGO_URL: must start with mongodb:\/\//],
    [
      { ALLOWED_ORIGINS: 'files.example.com' },
      /^ALLOWED_ORIGINS: 'files.example.com' is not an origin/,
    ],
    [
      { ENCRYPTION_KEYS: 'k1:c2hvcnQ=' },
      /^ENCRYPTION_KEYS: entry 1 is not id:base64key with a 32-byte key/,
    ],
    [{ ENCRYPTION_KEYS: `a:${key(1)},a:${key(2)}` }, /^ENCRYPTION_KEYS: key id 'a' appears twice/],
    [{ LINK_REQUIRE_PASSWORD: 'maybe' }, /^LINK_REQUIRE_PASSWORD: must be true or false/],
    [{ REGISTRATION: 'invite' }, /^REGISTRATION: must be one of open, closed/],
    [{ LOG_LEVEL: 'verbose' }, /^LOG_LEVEL: must be one of debug, info, warn, error/],
    [{ TRUST_PROXY: 'everyone' }, /^TRUST_PROXY: 'everyone' is not a proxy setting/],
    [{ REDIS_URL: 'localhost:6379' }, /^REDIS_URL: must start with redis:\/\//],
    [{ ADMIN_EMAIL: 'admin@example.com' }, /^ADMIN_EMAIL and ADMIN_PASSWORD: set both or neither/],
    [{ LINK_DEFAULT_TTL: '100d' }, /^LINK_DEFAULT_TTL: must not be longer than LINK_MAX_TTL/],
    [{ UPLOAD_EXPIRY: '7d' }, /^TEMP_OBJECT_MAX_AGE: must not be shorter than UPLOAD_EXPIRY/],
  ])('%p', (env, expected) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(expected)]);
  });
});

describe('per-driver settings', () => {
  it('requires the S3 bucket and region only for the s3 driver', () => {
    expect(problemsOf({ STORAGE_DRIVER: 's3' })).toEqual([
      'S3_BUCKET: required when STORAGE_DRIVER=s3',
      'S3_REGION: required when STORAGE_DRIVER=s3',
    ]);
    expect(parse({ S3_ENDPOINT: 'http://127.0.0.1:9000' }).storage.s3).toBeUndefined();
  });

  it('reads S3 settings for the s3 driver', () => {
    const config = parse({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'files',
      S3_REGION: 'eu-west-1',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(config.storage.s3).toEqual({
      bucket: 'files',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      objectLock: false,
      uploadMemory: 32 * 1024 * 1024,
    });
    expect(
      parse({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_REGION: 'r', S3_UPLOAD_MEMORY: '64MB' })
        .storage.s3?.uploadMemory,
    ).toBe(64 * 1024 * 1024);
    expect(problemsOf({ S3_UPLOAD_MEMORY: '5MB' })).toEqual([
      'S3_UPLOAD_MEMORY: must be at least 10MiB: two parts',
    ]);
  });

  it('reads the retention rule in whole days, off by default', () => {
    expect(parse({}).retention).toEqual({ minDays: 0 });
    expect(parse({ RETENTION_MIN_DAYS: '30' }).retention).toEqual({ minDays: 30 });
    expect(problemsOf({ RETENTION_MIN_DAYS: '2w' })).toEqual([
      'RETENTION_MIN_DAYS: must be a whole number of days, e.g. 30 (0 turns the rule off)',
    ]);
  });

  it('bounds the database pool and closes idle connections by default', () => {
    expect(parse({}).database).toMatchObject({ maxPoolSize: 32, maxIdleTimeMs: 60_000 });
    expect(parse({ MONGO_MAX_POOL_SIZE: '8', MONGO_MAX_IDLE_TIME: '30s' }).database).toMatchObject({
      maxPoolSize: 8,
      maxIdleTimeMs: 30_000,
    });
    expect(problemsOf({ MONGO_MAX_POOL_SIZE: '0' })).toEqual([
      'MONGO_MAX_POOL_SIZE: Number must be greater than or equal to 1',
    ]);
  });

  it('requires the GCS bucket only for the gcs driver', () => {
    expect(problemsOf({ STORAGE_DRIVER: 'gcs' })).toEqual([
      'GCS_BUCKET: required when STORAGE_DRIVER=gcs',
    ]);
  });
});

describe('PUBLIC_URL', () => {
  it('is http://localhost:<PORT> outside production when unset', () => {
    expect(parse({}).http.publicUrl).toBe('http://localhost:8000');
    expect(parse({ PORT: '9123' }).http.publicUrl).toBe('http://localhost:9123');
  });

  it.each([
    ['https://files.example.com', 'https://files.example.com'],
    ['https://files.example.com/', 'https://files.example.com'],
    ['HTTPS://Files.Example.com:8443/strongroom/', 'https://files.example.com:8443/strongroom'],
    ['http://10.0.0.5:8000', 'http://10.0.0.5:8000'],
  ])('%s is the base %s', (text, expected) => {
    expect(parse({ PUBLIC_URL: text }).http.publicUrl).toBe(expected);
  });

  it.each([
    'files.example.com',
    'ftp://files.example.com',
    'https://files.example.com/?x=1',
    'https://files.example.com/?',
    'https://files.example.com/#top',
    'https://user:pw@files.example.com',
  ])('refuses %s without repeating it', (text) => {
    expect(problemsOf({ PUBLIC_URL: text })).toEqual([
      expect.stringMatching(
        /^PUBLIC_URL: must be an http\(s\) base URL such as https:\/\/files.example.com/,
      ),
    ]);
  });
});

describe('proxy trust', () => {
  it.each<[string, number | string[] | false]>([
    ['false', false],
    ['1', 1],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
  ])('%s', (text, expected) => {
    expect(parse({ TRUST_PROXY: text }).http.trustProxy).toEqual(expected);
  });
});
