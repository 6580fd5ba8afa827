import { UnauthorizedException } from '@nestjs/common';
import type { SecurityEventsService } from '@strongroom/audit';
import type { AppConfig } from '@strongroom/config';
import { SoftwareAuthenticator } from '@strongroom/testing';
import type { UserDocument, UsersService } from '@strongroom/users';
import type { LoginLockoutService } from '../lockout/login-lockout.service';
import type { MfaSignInService } from '../mfa/mfa-sign-in.service';
import type { SessionIssuer } from '../tokens/session-issuer.service';
import type { PasskeyCredentials, PasskeyRecord } from './passkey-credentials.service';
import { PasskeySignInService } from './passkey-sign-in.service';
import type { WebAuthnChallengeStore } from './webauthn-challenge.store';
import { WebAuthnRelyingParty } from './webauthn-relying-party';

const ORIGIN = 'https://files.example.com';
const RP_ID = 'files.example.com';
const CLIENT = { ip: '198.51.100.7', requestId: 'r1' };
const OWNER_ID = '665f1c2a7e9a4b4d43a3f03c';
const config = {
  webauthn: { rpId: RP_ID, rpName: 'Strongroom', origins: [ORIGIN], challengeTtlMs: 300_000 },
} as AppConfig;

/**
 * The password-less path with the real relying party and a software authenticator; the stores
 * are in memory, so the counter and user-handle rules can be driven to each edge.
 */
describe('PasskeySignInService (password-less)', () => {
  const rp = new WebAuthnRelyingParty(config);
  let authenticator: SoftwareAuthenticator;
  let passkey: PasskeyRecord;
  let recordUse: jest.Mock;
  let events: jest.Mock;
  let lockoutFailed: jest.Mock;
  let service: PasskeySignInService;
  const challenge = 'Y2hhbGxlbmdlLWJ5dGVzLWZvci10aGUtdGVzdA';

  beforeEach(async () => {
    authenticator = new SoftwareAuthenticator();
    const options = await rp.registrationOptions({ id: OWNER_ID, email: 'm@example.com' }, []);
    const registered = await rp.verifyRegistration(
      authenticator.register({ challenge: options.challenge, origin: ORIGIN, rpId: RP_ID }),
      options.challenge,
    );
    passkey = {
      ...registered,
      id: 'pk1',
      userId: OWNER_ID,
      name: 'Laptop',
      createdAt: new Date(),
      lastUsedAt: null,
    };
    recordUse = jest.fn().mockResolvedValue(true);
    events = jest.fn().mockResolvedValue(undefined);
    lockoutFailed = jest.fn().mockReturnValue(undefined);
    const owner = { id: OWNER_ID, email: 'm@example.com', disabled: false } as UserDocument;
    service = new PasskeySignInService(
      {
        findById: () => Promise.resolve(owner),
        recordLogin: () => Promise.resolve(),
      } as unknown as UsersService,
      {
        findByCredentialId: (id: string) =>
          Promise.resolve(id === passkey.credentialId ? passkey : undefined),
        recordUse,
      } as unknown as PasskeyCredentials,
      {
        claim: (id: string) => Promise.resolve(id === 'c1' ? challenge : undefined),
      } as unknown as WebAuthnChallengeStore,
      rp,
      {
        reserve: (subject: unknown) => Promise.resolve({ attempt: { subject, slots: [] } }),
        failed: lockoutFailed,
        succeeded: () => Promise.resolve(),
      } as unknown as LoginLockoutService,
      {
        issue: () =>
          Promise.resolve({
            accessToken: 'a',
            refreshToken: 'r',
            tokenType: 'Bearer',
            expiresIn: 900,
          }),
      } as unknown as SessionIssuer,
      {} as MfaSignInService,
      { record: events } as unknown as SecurityEventsService,
    );
  });

  const assertion = (counter: number, userHandle = Buffer.from(OWNER_ID).toString('base64url')) =>
    authenticator.assert({ challenge, origin: ORIGIN, rpId: RP_ID, counter, userHandle });
  const eventTypes = () => events.mock.calls.map(([event]) => (event as { type: string }).type);

  it('accepts a counter that stays 0 (an authenticator that keeps none), every time', async () => {
    await expect(service.signIn('c1', assertion(0), CLIENT)).resolves.toMatchObject({
      accessToken: 'a',
    });
    await expect(service.signIn('c1', assertion(0), CLIENT)).resolves.toMatchObject({
      accessToken: 'a',
    });
    expect(recordUse).toHaveBeenCalledWith('pk1', 0);
    expect(eventTypes()).toEqual(['login_succeeded', 'login_succeeded']);
  });

  it('accepts a counter that grew and stores it', async () => {
    passkey.counter = 4;
    await service.signIn('c1', assertion(9), CLIENT);
    expect(recordUse).toHaveBeenCalledWith('pk1', 9);
  });

  it.each([
    ['went backwards', 7, 3],
    ['stayed the same', 7, 7],
    ['fell to 0', 7, 0],
  ])('refuses and flags a non-zero counter that %s', async (_case, stored, received) => {
    passkey.counter = stored;
    await expect(service.signIn('c1', assertion(received), CLIENT)).rejects.toThrow(
      /counter did not advance/,
    );
    expect(recordUse).not.toHaveBeenCalled();
    expect(events).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'passkey_counter_regressed',
        subjectId: OWNER_ID,
        details: { passkeyId: 'pk1', storedCounter: stored, receivedCounter: received },
      }),
    );
    expect(lockoutFailed).toHaveBeenCalled();
  });

  it('refuses the loser of two racing assertions, whose conditional counter update matched nothing', async () => {
    passkey.counter = 4;
    recordUse.mockResolvedValue(false);
    await expect(service.signIn('c1', assertion(5), CLIENT)).rejects.toThrow(
      /counter did not advance/,
    );
    expect(eventTypes()).toEqual(['passkey_counter_regressed', 'login_failed']);
  });

  it("refuses an assertion whose user handle names another account than the passkey's owner", async () => {
    const other = Buffer.from('665f1c2a7e9a4b4d43a3ffff').toString('base64url');
    await expect(service.signIn('c1', assertion(1, other), CLIENT)).rejects.toThrow(
      UnauthorizedException,
    );
    expect(recordUse).not.toHaveBeenCalled();
    expect(events).toHaveBeenCalledWith(
      expect.objectContaining({
        type: 'login_failed',
        details: { method: 'passkey', wrong: 'user_handle' },
      }),
    );
  });

  it('counts an unknown passkey against the address only, with no account named', async () => {
    const reserve = jest.spyOn(
      (service as unknown as { lockout: LoginLockoutService }).lockout,
      'reserve',
    );
    const stranger = new SoftwareAuthenticator().assert({
      challenge,
      origin: ORIGIN,
      rpId: RP_ID,
      counter: 1,
    });
    await expect(service.signIn('c1', stranger, CLIENT)).rejects.toThrow(/not registered/);
    expect(reserve).toHaveBeenCalledWith({ email: undefined, ip: CLIENT.ip });
  });
});
