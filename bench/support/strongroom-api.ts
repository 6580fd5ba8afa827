/** The few Strongroom API calls the transfer benchmark makes besides the transfers themselves. */
import { randomBytes } from 'node:crypto';

const PASSWORD = 'copper kettle orbit lantern 42';

async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported as text
  }
  return { status: response.status, json };
}

/** Registers a fresh account and signs in; returns the Authorization header value. */
export async function registerAndLogin(baseUrl: string, label: string): Promise<string> {
  return (await registerAccount(baseUrl, label)).authorization;
}

/** Registers a fresh account and signs in; its address and Authorization header value. */
export async function registerAccount(
  baseUrl: string,
  label: string,
): Promise<{ email: string; authorization: string }> {
  const email = `bench-${label}-${randomBytes(4).toString('hex')}@example.com`;
  const registered = await postJson(`${baseUrl}/api/v1/auth/register`, {
    email,
    password: PASSWORD,
  });
  if (registered.status !== 201) {
    throw new Error(`register answered ${registered.status}: ${JSON.stringify(registered.json)}`);
  }
  return { email, authorization: await signIn(baseUrl, email, PASSWORD) };
}

/** Signs an existing account in; returns the Authorization header value. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const login = await postJson(`${baseUrl}/api/v1/auth/login`, { email, password });
  const token = (login.json as { accessToken?: unknown }).accessToken;
  if (login.status !== 200 || typeof token !== 'string') {
    throw new Error(`login answered ${login.status}: ${JSON.stringify(login.json)}`);
  }
  return `Bearer ${token}`;
}
