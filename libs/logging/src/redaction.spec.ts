import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_LOG_PATHS } from './redaction';

function logged(entry: object): string {
  let line = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      line += chunk.toString();
      done();
    },
  });
  pino({ redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' } }, sink).info(entry);
  return line;
}

describe('log redaction', () => {
  it('hides second-factor secrets wherever an object carries them', () => {
    const line = logged({
      body: {
        mfaToken: 'eyJ.mfa.token',
        recoveryCodes: ['abcd-efgh-ijkl-mnop'],
        otpauthUrl: 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP',
      },
    });
    expect(line).not.toMatch(/eyJ\.mfa|abcd-efgh|JBSWY3DP/);
    expect(line.match(/\[redacted\]/g)).toHaveLength(3);
  });
});
