import { ApiError } from './api-error';

export interface Me {
  id: string;
  email: string;
  displayName?: string;
  role: 'user' | 'admin' | 'auditor';
  storageUsed: number;
  quota: number | null;
}

interface AccessGrant {
  accessToken: string;
  expiresIn: number;
}

/** The password was right and a second step is due; the token lives only in the page's memory. */
export interface SecondStep {
  mfaToken: string;
  /** Seconds the mfaToken lives. */
  expiresIn: number;
  /** What completes it: `totp` and `recovery` codes, `passkey`. */
  methods: string[];
}

export type SignInOutcome =
  | { step: 'done' }
  | { step: 'code'; challenge: SecondStep }
  | { step: 'enrol'; challenge: SecondStep };

interface LoginAnswer extends Partial<AccessGrant>, Partial<SecondStep> {
  methods?: string[];
  mfaRequired?: true;
  mfaEnrolmentRequired?: true;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

type State =
  | { status: 'unknown' }
  | { status: 'signed-out'; ended?: boolean; notice?: string }
  | { status: 'signed-in'; me: Me };

const AUTH = '/api/v1/auth';
/**
 * Not a secret: only whether this browser signed in and has not signed out, so a first visit
 * does not ask the server to refresh a cookie that cannot exist (the page cannot see HttpOnly).
 */
const SIGNED_IN_MARK = 'strongroom.signed-in';
/** Refresh this long before the access token expires, so a request never races its expiry. */
const REFRESH_MARGIN_SECONDS = 60;

async function parse(response: Response): Promise<unknown> {
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : undefined;
}

async function send(path: string, init: RequestInit): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch {
    throw ApiError.network();
  }
  const body = await parse(response).catch(() => undefined);
  if (!response.ok)
    throw ApiError.fromBody(response.status, body, response.headers.get('Retry-After'));
  return body;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * The signed-in person. The access token lives only in this object's memory; the refresh token
 * only in an HttpOnly cookie the page cannot read, which the server rotates on each refresh.
 */
export class Session {
  state: State = { status: 'unknown' };
  private accessToken: string | undefined;
  private renewing: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a reload: the refresh cookie, if any, signs the person back in without a form. */
  async restore(): Promise<void> {
    // Single sign-on sent the browser back with a refusal: its callback set no cookie to restore.
    if (new URLSearchParams(location.search).has('sso_error')) {
      localStorage.removeItem(SIGNED_IN_MARK);
    }
    if (localStorage.getItem(SIGNED_IN_MARK) === null) return this.end(false);
    try {
      await this.refresh();
      await this.loadMe();
    } catch {
      this.end(false);
    }
  }

  /** Before leaving for single sign-on, whose callback sets the refresh cookie restore() uses. */
  expectCookieSignIn(): void {
    localStorage.setItem(SIGNED_IN_MARK, '1');
  }

  /** The password step: signed in, or the second step the account needs. */
  async signIn(email: string, password: string): Promise<SignInOutcome> {
    const answer = (await send(
      `${AUTH}/login`,
      json({ email, password, refreshTokenDelivery: 'cookie' }),
    )) as LoginAnswer;
    const challenge = {
      mfaToken: answer.mfaToken ?? '',
      expiresIn: answer.expiresIn ?? 0,
      methods: answer.methods ?? ['totp', 'recovery'],
    };
    if (answer.mfaRequired) return { step: 'code', challenge };
    if (answer.mfaEnrolmentRequired) return { step: 'enrol', challenge };
    await this.begin(answer as AccessGrant);
    return { step: 'done' };
  }

  /** The second step: an authenticator code or a recovery code. */
  async verifySecondFactor(mfaToken: string, code: string): Promise<void> {
    const grant = await send(
      `${AUTH}/mfa/verify`,
      json({ mfaToken, code, refreshTokenDelivery: 'cookie' }),
    );
    await this.begin(grant as AccessGrant);
  }

  /** Enrolment that MFA_REQUIRED_ROLES forces at sign-in: a pending secret for this mfaToken. */
  async startEnrolment(mfaToken: string): Promise<TotpEnrolment> {
    return (await send(`${AUTH}/mfa/totp`, json({ mfaToken }))) as TotpEnrolment;
  }

  /**
   * Confirms the forced enrolment. The session starts now, but the person stays on the sign-in
   * page, to save the recovery codes, until finishSignIn().
   */
  async confirmEnrolment(mfaToken: string, code: string): Promise<string[]> {
    const done = (await send(
      `${AUTH}/mfa/totp/confirm`,
      json({ mfaToken, code, refreshTokenDelivery: 'cookie' }),
    )) as AccessGrant & { recoveryCodes: string[] };
    this.accept(done);
    localStorage.setItem(SIGNED_IN_MARK, '1');
    return done.recoveryCodes;
  }

  async finishSignIn(): Promise<void> {
    await this.loadMe();
  }

  /** Ends the session on the server; `notice` is what the sign-in page then says. */
  async signOut(notice?: string): Promise<void> {
    await send(`${AUTH}/logout`, json({})).catch(() => undefined);
    this.end(false, notice);
  }

  async loadMe(): Promise<Me> {
    const me = (await this.request('/api/v1/users/me')) as Me;
    this.set({ status: 'signed-in', me });
    return me;
  }

  /** A JSON request with the access token; one silent refresh when the token was refused. */
  async request(path: string, init: RequestInit = {}): Promise<unknown> {
    try {
      return await send(path, this.authorized(init));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      await this.renewAccess().catch(() => {
        throw error;
      });
      return send(path, this.authorized(init));
    }
  }

  /**
   * After the server refused the access token: one refresh for all the requests it refused at
   * once (uploads run side by side); when that fails too, the session has ended.
   */
  renewAccess(): Promise<void> {
    this.renewing ??= this.refresh()
      .catch((error: unknown) => {
        this.end(true);
        throw error;
      })
      .finally(() => {
        this.renewing = undefined;
      });
    return this.renewing;
  }

  /** The header value for requests made outside fetch (uploads through tus-js-client). */
  bearer(): string {
    return `Bearer ${this.accessToken ?? ''}`;
  }

  /** A request made before anyone is signed in (the first step of a passkey sign-in). */
  publicRequest(path: string, init: RequestInit): Promise<unknown> {
    return send(path, init);
  }

  /** Ends a sign-in route other than the password form's (passkeys) signed in, as signIn does. */
  async completeSignIn(path: string, body: object): Promise<void> {
    this.accept(
      (await send(path, json({ ...body, refreshTokenDelivery: 'cookie' }))) as AccessGrant,
    );
    localStorage.setItem(SIGNED_IN_MARK, '1');
    await this.loadMe();
  }

  private authorized(init: RequestInit): RequestInit {
    return {
      ...init,
      headers: { ...(init.headers as Record<string, string>), Authorization: this.bearer() },
    };
  }

  /**
   * Every tab shares the one cookie, and a refresh token works once: a Web Lock makes tabs take
   * turns, so none presents a token another tab has just rotated (which would end the session).
   */
  private async refresh(): Promise<void> {
    const run = async () => this.accept((await send(`${AUTH}/refresh`, json({}))) as AccessGrant);
    if (navigator.locks) await navigator.locks.request('strongroom-refresh', run);
    else await run();
  }

  private async begin(grant: AccessGrant): Promise<void> {
    this.accept(grant);
    localStorage.setItem(SIGNED_IN_MARK, '1');
    await this.loadMe();
  }

  private accept(grant: AccessGrant): void {
    this.accessToken = grant.accessToken;
    clearTimeout(this.timer);
    const delay = Math.max(5, grant.expiresIn - REFRESH_MARGIN_SECONDS) * 1000;
    this.timer = setTimeout(() => {
      this.refresh().catch(() => this.end(true));
    }, delay);
  }

  private end(expired: boolean, notice?: string): void {
    localStorage.removeItem(SIGNED_IN_MARK);
    clearTimeout(this.timer);
    this.accessToken = undefined;
    this.set({ status: 'signed-out', ended: expired, notice });
  }

  private set(state: State): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

export const session = new Session();
