import { Writable } from 'node:stream';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '@strongroom/config';
import { httpLoggerOptions } from './http-logger.options';
import { censorSecrets } from './redaction';

/** The logger the application logs through (the request logger's root), writing into `lines`. */
function appLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const options = httpLoggerOptions({ logLevel: 'info', environment: 'test' } as AppConfig);
  return { logger: pinoHttp(options, sink).logger, lines };
}

describe('log redaction', () => {
  it('hides second-factor secrets wherever an object carries them', () => {
    const { logger, lines } = appLogger();
    logger.info({
      body: {
        mfaToken: 'eyJ.mfa.token',
        recoveryCodes: ['abcd-efgh-ijkl-mnop'],
        otpauthUrl: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
      },
    });
    expect(lines[0]).not.toMatch(/eyJ\.mfa|abcd-efgh|JBSWY3DP/);
    expect(lines[0].match(/\[redacted\]/g)).toHaveLength(3);
  });

  it('hides secrets at the top of a line and deep inside it, headers in any case', () => {
    const { logger, lines } = appLogger();
    logger.info({
      password: 'top-level-password',
      upstream: {
        config: { headers: { Authorization: 'Bearer deep.jwt', 'Set-Cookie': ['sid=deep'] } },
      },
      attempts: [{ refreshToken: 'in-an-array' }],
    });
    expect(lines[0]).not.toMatch(/top-level-password|deep\.jwt|sid=deep|in-an-array/);
    expect(JSON.parse(lines[0])).toMatchObject({
      password: '[redacted]',
      upstream: {
        config: { headers: { Authorization: '[redacted]', 'Set-Cookie': '[redacted]' } },
      },
      attempts: [{ refreshToken: '[redacted]' }],
    });
  });

  it("hides secrets in an error's own fields", () => {
    const { logger, lines } = appLogger();
    const error = Object.assign(new Error('upstream refused'), { token: 'error-token' });
    logger.error({ err: error }, 'failed');
    expect(lines[0]).not.toContain('error-token');
    expect(JSON.parse(lines[0])).toMatchObject({
      err: { message: 'upstream refused', token: '[redacted]' },
    });
  });

  it('leaves the logged object as it was, and shares what holds no secret', () => {
    const shared = { size: 3, names: ['a', 'b'] };
    const entry = { user: { email: 'a@example.com', password: 'hunter2' }, shared };
    const censored = censorSecrets(entry);
    expect(entry.user.password).toBe('hunter2');
    expect(censored).toEqual({ user: { email: 'a@example.com', password: '[redacted]' }, shared });
    expect(censored.shared).toBe(shared);
    const clean = { a: { b: [1, 2] }, at: new Date(0) };
    expect(censorSecrets(clean)).toBe(clean);
  });
});
