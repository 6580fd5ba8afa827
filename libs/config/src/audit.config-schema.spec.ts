import { randomBytes } from 'node:crypto';
import { ConfigValidationError, parseEnvironment, type RawEnvironment } from './config.schema';

const generated = randomBytes(32).toString('base64');
const developmentSecrets = jest.fn(() => ({
  secretKey: 'g'.repeat(48),
  encryptionKeys: `gen:${randomBytes(32).toString('base64')}`,
  auditSigningKey: generated,
}));
const parse = (env: RawEnvironment) =>
  parseEnvironment(env, { version: '1', cwd: '/srv/app', developmentSecrets });

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
  ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  METRICS_TOKEN: 'm'.repeat(40),
};

describe('audit checkpoint configuration', () => {
  it('signs with the generated development key and checkpoints every 1000 events or 5 minutes', () => {
    expect(parse({}).audit).toEqual({
      signingKey: Buffer.from(generated, 'base64'),
      verifyKeys: [],
      checkpointEvery: 1000,
      checkpointIntervalMs: 5 * 60_000,
      subjectKeyCacheTtlMs: 5 * 60_000,
    });
  });

  it('reads the key, the earlier public keys and the cadence', () => {
    const key = randomBytes(32);
    const earlier = [randomBytes(32), randomBytes(32)];
    const config = parse({
      AUDIT_SIGNING_KEY: key.toString('base64'),
      AUDIT_VERIFY_KEYS: earlier.map((raw) => raw.toString('base64')).join(', '),
      AUDIT_CHECKPOINT_EVERY: '50',
      AUDIT_CHECKPOINT_INTERVAL: '30s',
      AUDIT_KEY_CACHE_TTL: '2m',
    });
    expect(config.audit).toEqual({
      signingKey: key,
      verifyKeys: earlier,
      checkpointEvery: 50,
      checkpointIntervalMs: 30_000,
      subjectKeyCacheTtlMs: 120_000,
    });
  });

  it('refuses production without a signing key, saying how to make one', () => {
    expect(problemsOf(production)).toEqual([
      expect.stringMatching(/^AUDIT_SIGNING_KEY: required in production.*openssl genpkey/),
    ]);
    expect(
      parse({ ...production, AUDIT_SIGNING_KEY: randomBytes(32).toString('base64') }).environment,
    ).toBe('production');
  });

  it.each([
    ['too short', randomBytes(16).toString('base64'), /must be 32 bytes in base64/],
    ['not base64', 'not a key at all, clearly', /must be 32 bytes in base64/],
    ['made up', Buffer.alloc(32, 7).toString('base64'), /is not random enough/],
  ])('refuses a weak key (%s) without echoing it', (_label, value, message) => {
    const problems = problemsOf({ ...production, AUDIT_SIGNING_KEY: value });
    expect(problems).toEqual([expect.stringMatching(/^AUDIT_SIGNING_KEY: /)]);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).not.toContain(value);
  });

  it.each([
    [
      { AUDIT_VERIFY_KEYS: 'abc' },
      /^AUDIT_VERIFY_KEYS: entry 1 is not a 32-byte Ed25519 public key/,
    ],
    [{ AUDIT_CHECKPOINT_EVERY: '0' }, /^AUDIT_CHECKPOINT_EVERY: /],
    [
      { AUDIT_CHECKPOINT_INTERVAL: 'often' },
      /^AUDIT_CHECKPOINT_INTERVAL: 'often' is not a duration/,
    ],
  ])('names a bad value: %o', (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});
