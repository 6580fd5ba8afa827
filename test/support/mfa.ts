import { Secret, TOTP } from 'otpauth';
import type { Account } from './accounts';
import type { TestApp } from './test-app';

const PERIOD_MS = 30_000;

/** The code an authenticator app shows for this secret, with its clock `offsetSeconds` off. */
export function totpCode(secret: string, offsetSeconds = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + offsetSeconds * 1000,
  });
}

/**
 * Waits out the last seconds of a time step, so a code computed now is still in the same step
 * when the server checks it; tests that move the clock a step would otherwise flake at the turn.
 */
export async function clearOfStepEdge(): Promise<void> {
  const left = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left < 3_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

export interface EnrolledTotp {
  secret: string;
  recoveryCodes: string[];
}

/**
 * Enrols and confirms a TOTP factor through the API. The confirming code is from a clock one step
 * behind, so the current and the next step are still unspent for the test's sign-ins.
 */
export async function enrolTotp(t: TestApp, account: Account): Promise<EnrolledTotp> {
  const enrolment = await t
    .http()
    .post('/api/v1/users/me/mfa/totp')
    .set('Authorization', account.bearer)
    .expect(201);
  const secret = enrolment.body.secret as string;
  await clearOfStepEdge();
  const confirmed = await t
    .http()
    .post('/api/v1/users/me/mfa/totp/confirm')
    .set('Authorization', account.bearer)
    .send({ code: totpCode(secret, -30) })
    .expect(200);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

/** The password step; expects the second-factor challenge and returns its mfaToken. */
export async function passwordStep(t: TestApp, account: Account): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/auth/login')
    .send({ email: account.email, password: account.password })
    .expect(200);
  if (typeof res.body.mfaToken !== 'string')
    throw new Error('login did not ask for a second factor');
  return res.body.mfaToken as string;
}

export function verifyCode(t: TestApp, mfaToken: string, code: string) {
  return t.http().post('/api/v1/auth/mfa/verify').send({ mfaToken, code });
}
