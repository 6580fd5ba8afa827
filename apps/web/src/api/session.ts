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

type State =
  | { status: 'unknown' }
  | { status: 'signed-out'; ended?: boolean }
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
  if (!response.ok) throw ApiError.fromBody(response.status, body);
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
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a reload: the refresh cookie, if any, signs the person back in without a form. */
  async restore(): Promise<void> {
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

  async signIn(email: string, password: string): Promise<void> {
    const grant = (await send(
      `${AUTH}/login`,
      json({ email, password, refreshTokenDelivery: 'cookie' }),
    )) as AccessGrant;
    this.accept(grant);
    localStorage.setItem(SIGNED_IN_MARK, '1');
    await this.loadMe();
  }

  async signOut(): Promise<void> {
    await send(`${AUTH}/logout`, json({})).catch(() => undefined);
    this.end(false);
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
      try {
        await this.refresh();
      } catch {
        this.end(true);
        throw error;
      }
      return send(path, this.authorized(init));
    }
  }

  /** The header value for requests made outside fetch (uploads through XMLHttpRequest). */
  bearer(): string {
    return `Bearer ${this.accessToken ?? ''}`;
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

  private accept(grant: AccessGrant): void {
    this.accessToken = grant.accessToken;
    clearTimeout(this.timer);
    const delay = Math.max(5, grant.expiresIn - REFRESH_MARGIN_SECONDS) * 1000;
    this.timer = setTimeout(() => {
      this.refresh().catch(() => this.end(true));
    }, delay);
  }

  private end(expired: boolean): void {
    localStorage.removeItem(SIGNED_IN_MARK);
    clearTimeout(this.timer);
    this.accessToken = undefined;
    this.set({ status: 'signed-out', ended: expired });
  }

  private set(state: State): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

export const session = new Session();
