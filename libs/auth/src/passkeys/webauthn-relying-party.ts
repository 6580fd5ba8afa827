import { Inject, Injectable } from '@nestjs/common';
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { COSEALG } from '@simplewebauthn/server/helpers';
import { APP_CONFIG, type AppConfig } from '@strongroom/config';

export interface CredentialRef {
  credentialId: string;
  transports: string[];
}

export interface NewCredential {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
}

export interface StoredCredential extends CredentialRef {
  publicKey: string;
  userId: string;
}

export interface VerifiedAssertion {
  counter: number;
  userVerified: boolean;
}

/** Why a response was refused; the message says what a client can do about it. */
export class CeremonyRefused extends Error {}

const TIMEOUT_MS = 120_000;
/**
 * EdDSA, ES256 and RS256 cover the authenticators in use. Named here rather than left to the
 * library's default, which probes Node's experimental post-quantum Web Crypto (and warns) each time.
 */
const ALGORITHMS = [COSEALG.EdDSA, COSEALG.ES256, COSEALG.RS256];

/**
 * The relying party, as SimpleWebAuthn does the cryptography: options to hand the browser and the
 * verification of what comes back, with our RP id and origins. Anything the library refuses or
 * cannot parse (a client sends arbitrary JSON) becomes a CeremonyRefused, never an internal error.
 */
@Injectable()
export class WebAuthnRelyingParty {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  registrationOptions(
    user: { id: string; email: string; displayName?: string },
    existing: CredentialRef[],
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return generateRegistrationOptions({
      rpName: this.config.webauthn.rpName,
      rpID: this.config.webauthn.rpId,
      userName: user.email,
      userDisplayName: user.displayName ?? user.email,
      // The account id (no personal data) as the user handle, so a password-less assertion names
      // the account it was made for and can be checked against the credential's owner.
      userID: Buffer.from(user.id, 'utf8'),
      timeout: TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map(toDescriptor),
      // Discoverable where the authenticator can, so the same passkey also signs in without a
      // password; security keys without storage still register, as a second factor.
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
  }

  async verifyRegistration(response: unknown, challenge: string): Promise<NewCredential> {
    const result = await this.refusing(() =>
      verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.config.webauthn.origins,
        expectedRPID: this.config.webauthn.rpId,
        requireUserVerification: false,
        supportedAlgorithmIDs: ALGORITHMS,
      }),
    );
    if (!result.verified) throw new CeremonyRefused('the registration could not be verified');
    const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
    return {
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
    };
  }

  authenticationOptions(
    allow: CredentialRef[],
    userVerification: 'required' | 'preferred',
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return generateAuthenticationOptions({
      rpID: this.config.webauthn.rpId,
      allowCredentials: allow.map(toDescriptor),
      userVerification,
      timeout: TIMEOUT_MS,
    });
  }

  /**
   * Checks the signature, challenge, origin, RP id and flags. The counter is compared by the
   * caller (see counterVerdict), after the signature is known to be the authenticator's, so a
   * forged counter can never raise a clone alarm; the library's own check is turned off with 0.
   */
  async verifyAssertion(
    response: unknown,
    challenge: string,
    credential: StoredCredential,
    requireUserVerification: boolean,
  ): Promise<VerifiedAssertion> {
    const result = await this.refusing(() =>
      verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: this.config.webauthn.origins,
        expectedRPID: this.config.webauthn.rpId,
        credential: {
          id: credential.credentialId,
          publicKey: Buffer.from(credential.publicKey, 'base64url'),
          counter: 0,
          transports: credential.transports,
        },
        requireUserVerification,
      }),
    );
    if (!result.verified) throw new CeremonyRefused('the passkey signature is not valid');
    return {
      counter: result.authenticationInfo.newCounter,
      userVerified: result.authenticationInfo.userVerified,
    };
  }

  private async refusing<T>(verify: () => Promise<T>): Promise<T> {
    try {
      return await verify();
    } catch (error) {
      throw new CeremonyRefused(
        error instanceof Error ? error.message : 'the response could not be read',
      );
    }
  }
}

function toDescriptor({ credentialId, transports }: CredentialRef) {
  return { id: credentialId, transports };
}
