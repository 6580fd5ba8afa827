import type { AppConfig } from '@strongroom/config';
import { SoftwareAuthenticator } from '@strongroom/testing';
import { counterVerdict } from './signature-counter';
import {
  CeremonyRefused,
  type StoredCredential,
  WebAuthnRelyingParty,
} from './webauthn-relying-party';

const ORIGIN = 'https://files.example.com';
const RP_ID = 'files.example.com';
const config = {
  webauthn: { rpId: RP_ID, rpName: 'Strongroom', origins: [ORIGIN], challengeTtlMs: 300_000 },
} as AppConfig;

describe('WebAuthnRelyingParty (with a software authenticator)', () => {
  const rp = new WebAuthnRelyingParty(config);
  const user = { id: '665f1c2a7e9a4b4d43a3f03c', email: 'marta@example.com' };
  let authenticator: SoftwareAuthenticator;
  let stored: StoredCredential;

  beforeEach(async () => {
    authenticator = new SoftwareAuthenticator();
    const options = await rp.registrationOptions(user, []);
    const credential = await rp.verifyRegistration(
      authenticator.register({ challenge: options.challenge, origin: ORIGIN, rpId: RP_ID }),
      options.challenge,
    );
    stored = { ...credential, userId: user.id };
  });

  const challenge = async () => (await rp.authenticationOptions([stored], 'required')).challenge;

  it('registers a credential made for our RP id on our origin', () => {
    expect(stored).toMatchObject({
      credentialId: authenticator.credentialId,
      counter: 0,
      transports: ['internal'],
    });
  });

  it('refuses a registration from another origin, for another RP id, or for another challenge', async () => {
    const options = await rp.registrationOptions(user, []);
    const other = new SoftwareAuthenticator();
    const made = (origin: string, rpId: string, signed = options.challenge) =>
      rp.verifyRegistration(other.register({ challenge: signed, origin, rpId }), options.challenge);
    await expect(made('https://evil.example', RP_ID)).rejects.toThrow(/origin/i);
    await expect(made(ORIGIN, 'evil.example')).rejects.toThrow(/RP ID/i);
    await expect(made(ORIGIN, RP_ID, 'c29tZS1vdGhlci1jaGFsbGVuZ2U')).rejects.toThrow(/challenge/i);
  });

  it('accepts an assertion for the challenge, origin and RP id, and reports its counter', async () => {
    const signed = await challenge();
    const assertion = authenticator.assert({
      challenge: signed,
      origin: ORIGIN,
      rpId: RP_ID,
      counter: 3,
    });
    await expect(rp.verifyAssertion(assertion, signed, stored, true)).resolves.toEqual({
      counter: 3,
      userVerified: true,
    });
  });

  it('refuses an assertion from another origin, for another RP id, or for another challenge', async () => {
    const signed = await challenge();
    const assertFor = (origin: string, rpId: string) =>
      authenticator.assert({ challenge: signed, origin, rpId, counter: 1 });
    await expect(
      rp.verifyAssertion(assertFor('https://evil.example', RP_ID), signed, stored, true),
    ).rejects.toThrow(CeremonyRefused);
    await expect(
      rp.verifyAssertion(assertFor(ORIGIN, 'evil.example'), signed, stored, true),
    ).rejects.toThrow(CeremonyRefused);
    await expect(
      rp.verifyAssertion(assertFor(ORIGIN, RP_ID), await challenge(), stored, true),
    ).rejects.toThrow(/challenge/i);
  });

  it('refuses a signature by another key', async () => {
    const signed = await challenge();
    const impostor = new SoftwareAuthenticator();
    const forged = {
      ...impostor.assert({ challenge: signed, origin: ORIGIN, rpId: RP_ID, counter: 1 }),
      id: stored.credentialId,
      rawId: stored.credentialId,
    };
    await expect(rp.verifyAssertion(forged, signed, stored, false)).rejects.toThrow(
      CeremonyRefused,
    );
  });

  it('requires user verification only when asked to (password-less, not second factor)', async () => {
    const signed = await challenge();
    const unverified = authenticator.assert({
      challenge: signed,
      origin: ORIGIN,
      rpId: RP_ID,
      counter: 1,
      userVerified: false,
    });
    await expect(rp.verifyAssertion(unverified, signed, stored, true)).rejects.toThrow(/verif/i);
    await expect(rp.verifyAssertion(unverified, signed, stored, false)).resolves.toMatchObject({
      userVerified: false,
    });
  });

  it('leaves the counter to counterVerdict: a valid signature with a lower counter is reported, not thrown', async () => {
    const signed = await challenge();
    const assertion = authenticator.assert({
      challenge: signed,
      origin: ORIGIN,
      rpId: RP_ID,
      counter: 2,
    });
    const { counter } = await rp.verifyAssertion(assertion, signed, { ...stored }, true);
    expect(counterVerdict(5, counter)).toBe('regressed');
  });

  it('turns any malformed response into a refusal, never an internal error', async () => {
    const signed = await challenge();
    for (const garbage of [{}, { id: 'x', response: 5 }, null, 'text', { response: {} }]) {
      await expect(rp.verifyAssertion(garbage, signed, stored, true)).rejects.toThrow(
        CeremonyRefused,
      );
      await expect(rp.verifyRegistration(garbage, signed)).rejects.toThrow(CeremonyRefused);
    }
  });
});
