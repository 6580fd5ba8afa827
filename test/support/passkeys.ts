/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Account } from './accounts';
import type { TestApp } from './test-app';

export interface CeremonyOptions {
  challengeId: string;
  expiresAt: string;
  options: Record<string, unknown>;
}

export type CredentialJson = Record<string, unknown> & { id: string };

/**
 * A browser tab on our own origin with Chromium's virtual authenticator (CTAP2, built in, with
 * resident keys and user verification), driven over the DevTools protocol: WebAuthn ceremonies
 * run for real in the browser, with no person to touch a key.
 */
export class VirtualAuthenticator {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly cdp: CDPSession,
    readonly authenticatorId: string,
  ) {}

  static async open(browser: Browser, baseUrl: string): Promise<VirtualAuthenticator> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return new VirtualAuthenticator(context, page, cdp, authenticatorId);
  }

  /** navigator.credentials.create() with the options our API gave, as the JSON our API takes. */
  create(options: Record<string, unknown>): Promise<CredentialJson> {
    return this.page.evaluate(async (json) => {
      const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(json as never);
      const credential = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
      return credential.toJSON() as CredentialJson;
    }, options);
  }

  /** navigator.credentials.get() with the options our API gave, as the JSON our API takes. */
  get(options: Record<string, unknown>): Promise<CredentialJson> {
    return this.page.evaluate(async (json) => {
      const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(json as never);
      const credential = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
      return credential.toJSON() as CredentialJson;
    }, options);
  }

  /** The authenticator's credentials, private keys included (to copy one into another). */
  async credentials() {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', {
      authenticatorId: this.authenticatorId,
    });
    return credentials;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export async function registrationOptions(t: TestApp, account: Account): Promise<CeremonyOptions> {
  const res = await t
    .http()
    .post('/api/v1/users/me/passkeys/registration-options')
    .set('Authorization', account.bearer)
    .expect(200);
  return res.body as CeremonyOptions;
}

/** Registers a passkey for the account in the authenticator, through the API; returns its view. */
export async function registerPasskey(
  t: TestApp,
  account: Account,
  authenticator: VirtualAuthenticator,
  name = 'Test laptop',
): Promise<{ id: string; credentialId: string }> {
  const { challengeId, options } = await registrationOptions(t, account);
  const credential = await authenticator.create(options);
  const res = await t
    .http()
    .post('/api/v1/users/me/passkeys')
    .set('Authorization', account.bearer)
    .send({ challengeId, name, credential })
    .expect(201);
  return { id: res.body.id as string, credentialId: credential.id };
}

export async function signInOptions(t: TestApp): Promise<CeremonyOptions> {
  const res = await t.http().post('/api/v1/auth/passkey/options').expect(200);
  return res.body as CeremonyOptions;
}

export function passkeySignIn(t: TestApp, challengeId: string, credential: object) {
  return t.http().post('/api/v1/auth/passkey/verify').send({ challengeId, credential });
}

export async function secondFactorOptions(t: TestApp, mfaToken: string): Promise<CeremonyOptions> {
  const res = await t
    .http()
    .post('/api/v1/auth/mfa/passkey/options')
    .send({ mfaToken })
    .expect(200);
  return res.body as CeremonyOptions;
}

export function passkeySecondFactor(
  t: TestApp,
  mfaToken: string,
  challengeId: string,
  credential: CredentialJson,
) {
  return t
    .http()
    .post('/api/v1/auth/mfa/passkey/verify')
    .send({ mfaToken, challengeId, credential });
}
