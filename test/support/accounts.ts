import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { TestApp } from './test-app';

export const STRONG_PASSWORD = 'copper kettle orbit lantern 42';
export const OTHER_STRONG_PASSWORD = 'violet harbour tractor meadow 77';

let sequence = 0;
export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}-${process.pid}-${sequence}@example.com`;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

export interface Account {
  id: string;
  email: string;
  password: string;
  tokens: TokenPair;
  bearer: string;
}

export async function login(t: TestApp, email: string, password: string): Promise<TokenPair> {
  const res = await t.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
  return res.body as TokenPair;
}

/** Registers through the public route and signs in. */
export async function signUp(
  t: TestApp,
  label = 'user',
  fields: { displayName?: string } = {},
): Promise<Account> {
  const email = uniqueEmail(label);
  const res = await t
    .http()
    .post('/api/v1/auth/register')
    .send({ email, password: STRONG_PASSWORD, ...fields })
    .expect(201);
  const tokens = await login(t, email, STRONG_PASSWORD);
  return {
    id: res.body.id as string,
    email,
    password: STRONG_PASSWORD,
    tokens,
    bearer: `Bearer ${tokens.accessToken}`,
  };
}

type Role = 'user' | 'admin' | 'auditor';

/** An account the admin creates and nobody signs in to: half the password hashing of `createWithRole`. */
export async function createAccount(
  t: TestApp,
  admin: Account,
  role: Role,
): Promise<{ id: string; email: string }> {
  const email = uniqueEmail(role);
  const res = await t
    .http()
    .post('/api/v1/users')
    .set('Authorization', admin.bearer)
    .send({ email, password: STRONG_PASSWORD, role })
    .expect(201);
  return { id: res.body.id as string, email };
}

/** An account with the given role, created by an admin through the API, and signed in. */
export async function createWithRole(t: TestApp, admin: Account, role: Role): Promise<Account> {
  const { id, email } = await createAccount(t, admin, role);
  const tokens = await login(t, email, STRONG_PASSWORD);
  return {
    id,
    email,
    password: STRONG_PASSWORD,
    tokens,
    bearer: `Bearer ${tokens.accessToken}`,
  };
}

export const ADMIN_ENV = {
  ADMIN_EMAIL: 'root-admin@example.com',
  ADMIN_PASSWORD: 'granite falcon ledger sunrise 9',
};

/** Signs in as the first admin that ADMIN_ENV makes the app create at start-up. */
export async function firstAdmin(t: TestApp): Promise<Account> {
  const tokens = await login(t, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
  const me = await t
    .http()
    .get('/api/v1/users/me')
    .set('Authorization', `Bearer ${tokens.accessToken}`)
    .expect(200);
  return {
    id: me.body.id as string,
    email: ADMIN_ENV.ADMIN_EMAIL,
    password: ADMIN_ENV.ADMIN_PASSWORD,
    tokens,
    bearer: `Bearer ${tokens.accessToken}`,
  };
}

export function collection(t: TestApp, name: string) {
  return t.app.get<Connection>(getConnectionToken()).collection(name);
}
