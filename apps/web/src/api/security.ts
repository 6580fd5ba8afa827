import { session, type TotpEnrolment } from './session';

export interface TotpState {
  enabled: boolean;
  confirmedAt: string | null;
  recoveryCodesLeft: number;
}

const TOTP = '/api/v1/users/me/mfa/totp';

const withBody = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

export const loadTotpState = () => session.request(TOTP) as Promise<TotpState>;

/** A new pending secret; the factor is on only once a code confirms it. */
export const enrolTotp = () => session.request(TOTP, withBody('POST')) as Promise<TotpEnrolment>;

export async function confirmTotp(code: string): Promise<string[]> {
  const answer = (await session.request(`${TOTP}/confirm`, withBody('POST', { code }))) as {
    recoveryCodes: string[];
  };
  return answer.recoveryCodes;
}

export async function disableTotp(password: string, code: string): Promise<void> {
  await session.request(TOTP, withBody('DELETE', { password, code }));
}

/** Every earlier token stops working, this session's too: the person signs in again. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await session.request(
    '/api/v1/users/me/password',
    withBody('PATCH', { currentPassword, newPassword }),
  );
}
