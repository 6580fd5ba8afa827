import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '@strongroom/config';
import type { Claims } from './oidc-claims';
import { SsoFailure } from './sso-failure';

/** Discovery is read again after this, or at once after a failure. */
const DISCOVERY_TTL_MS = 60 * 60_000;
/** Seconds any request to the provider may take. */
const REQUEST_TIMEOUT_S = 5;

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface CallbackChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  claims: Claims;
}

/**
 * The one adapter to the identity provider (openid-client): discovery, the authorization URL with
 * PKCE, state and nonce, and the code exchange with every ID token check. Its failures come out as
 * SsoFailure codes.
 */
@Injectable()
export class OidcProviderClient {
  private readonly logger = new Logger(OidcProviderClient.name);
  private readonly settings?: OidcConfig;
  private discovered?: { configuration: Promise<oidc.Configuration>; at: number };

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.settings = config.oidc;
  }

  get enabled(): boolean {
    return this.settings !== undefined;
  }

  async authorizationRequest(): Promise<AuthorizationRequest> {
    const settings = this.require();
    const configuration = await this.configuration();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: settings.redirectUrl,
      scope: settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, state, nonce, codeVerifier };
  }

  /** Exchanges the code and verifies the ID token: signature, issuer, audience, times, nonce. */
  async verifyCallback(query: string, checks: CallbackChecks): Promise<VerifiedIdentity> {
    const settings = this.require();
    const configuration = await this.configuration();
    // The redirect URL as configured, never the request's Host, with the provider's parameters.
    const callbackUrl = new URL(settings.redirectUrl);
    callbackUrl.search = query;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new SsoFailure('invalid_token', 'no ID token');
      return { issuer: claims.iss, subject: claims.sub, claims: claims };
    } catch (error) {
      throw this.failed(error);
    }
  }

  /** Fetches discovery anew (readiness): resolves when the provider answers with valid metadata. */
  async probe(): Promise<void> {
    this.discovered = undefined;
    await this.configuration();
  }

  private async configuration(): Promise<oidc.Configuration> {
    if (!this.discovered || Date.now() - this.discovered.at > DISCOVERY_TTL_MS) {
      this.discovered = { configuration: this.discover(), at: Date.now() };
    }
    const pending = this.discovered.configuration;
    try {
      return await pending;
    } catch (error) {
      if (this.discovered?.configuration === pending) this.discovered = undefined;
      throw this.failed(error);
    }
  }

  private discover(): Promise<oidc.Configuration> {
    const settings = this.require();
    const metadata: Partial<oidc.ClientMetadata> = {
      [oidc.clockTolerance]: Math.round(settings.clockToleranceMs / 1000),
    };
    return oidc.discovery(
      new URL(settings.issuer),
      settings.clientId,
      metadata,
      settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
      {
        timeout: REQUEST_TIMEOUT_S,
        execute: [
          // The ID token's signature is checked against the provider's keys too, not only trusted
          // for arriving over TLS from the token endpoint (which OIDC Core would allow).
          oidc.enableNonRepudiationChecks,
          // http is refused in production by configuration; development and tests use loopback.
          ...(settings.issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : []),
        ],
      },
    );
  }

  private require(): OidcConfig {
    if (!this.settings) throw new SsoFailure('not_configured');
    return this.settings;
  }

  /** Our failure code for an openid-client error; stale metadata is dropped for the next try. */
  private failed(error: unknown): SsoFailure {
    const failure = classify(error);
    if (failure.code === 'provider_unavailable' || failure.code === 'invalid_token') {
      this.discovered = undefined;
    }
    this.logger.warn(`single sign-on failed: ${failure.message}`);
    return failure;
  }
}

function classify(error: unknown): SsoFailure {
  if (error instanceof SsoFailure) return error;
  if (error instanceof oidc.AuthorizationResponseError) {
    return new SsoFailure('provider_refused', error.error);
  }
  if (error instanceof oidc.ResponseBodyError) {
    return new SsoFailure(
      error.error === 'invalid_grant' ? 'code_rejected' : 'provider_refused',
      error.error,
    );
  }
  const unreachable = networkFailure(error);
  if (unreachable) return new SsoFailure('provider_unavailable', unreachable);
  if (error instanceof oidc.ClientError) {
    switch (error.code) {
      case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
        return new SsoFailure('token_expired', error.message);
      case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
      case 'OAUTH_RESPONSE_IS_NOT_JSON':
        return new SsoFailure('provider_unavailable', error.message);
      default:
        return new SsoFailure('invalid_token', `${error.code}: ${describeCause(error)}`);
    }
  }
  return new SsoFailure('invalid_token', (error as Error | undefined)?.message);
}

/** A failed or timed-out request, however deep openid-client wrapped it. */
function networkFailure(error: unknown): string | undefined {
  // By name: fetch's errors may come from another realm (jest), where instanceof fails.
  for (let cause = error as Error | undefined; cause?.name; cause = cause.cause as Error) {
    if (['TypeError', 'TimeoutError', 'AbortError'].includes(cause.name)) return cause.message;
  }
  return undefined;
}

function describeCause(error: Error): string {
  const cause = error.cause as Error | undefined;
  return cause?.message ?? error.message;
}
