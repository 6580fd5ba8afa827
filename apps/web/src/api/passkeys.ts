import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { session } from './session';

export interface Passkey {
  id: string;
  name: string;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}

interface Ceremony<Options> {
  challengeId: string;
  expiresAt: string;
  options: Options;
}

const BASE = '/api/v1/users/me/passkeys';
const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** Whether this browser can make and use passkeys at all (else the UI says so, not an error). */
export const passkeysSupported = () =>
  typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function';

export const listPasskeys = () => session.request(BASE) as Promise<Passkey[]>;

/** The whole registration: options from the server, the browser's prompt, the answer back. */
export async function addPasskey(name: string): Promise<Passkey> {
  const { challengeId, options } = (await session.request(
    `${BASE}/registration-options`,
    json('POST', {}),
  )) as Ceremony<PublicKeyCredentialCreationOptionsJSON>;
  const credential = await startRegistration({ optionsJSON: options });
  return session.request(BASE, json('POST', { challengeId, name, credential })) as Promise<Passkey>;
}

export const renamePasskey = (id: string, name: string) =>
  session.request(`${BASE}/${id}`, json('PATCH', { name })) as Promise<Passkey>;

export async function removePasskey(id: string, password: string): Promise<void> {
  await session.request(`${BASE}/${id}`, json('DELETE', { password }));
}

/** Password-less sign-in: any passkey of this site the browser offers; ends signed in. */
export async function signInWithPasskey(): Promise<void> {
  const { challengeId, options } = (await session.publicRequest(
    '/api/v1/auth/passkey/options',
    json('POST', {}),
  )) as Ceremony<PublicKeyCredentialRequestOptionsJSON>;
  const credential = await startAuthentication({ optionsJSON: options });
  await session.completeSignIn('/api/v1/auth/passkey/verify', { challengeId, credential });
}

/** The second step with a passkey, for the two-step sign-in's mfaToken; ends signed in. */
export async function verifyWithPasskey(mfaToken: string): Promise<void> {
  const { challengeId, options } = (await session.publicRequest(
    '/api/v1/auth/mfa/passkey/options',
    json('POST', { mfaToken }),
  )) as Ceremony<PublicKeyCredentialRequestOptionsJSON>;
  const credential = await startAuthentication({ optionsJSON: options });
  await session.completeSignIn('/api/v1/auth/mfa/passkey/verify', {
    mfaToken,
    challengeId,
    credential,
  });
}
