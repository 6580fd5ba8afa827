import { Types } from 'mongoose';
import { API_KEY_SCOPES, type ApiKeyScope } from '@strongroom/common';
import {
  type Account,
  ADMIN_ENV,
  createWithRole,
  firstAdmin,
  signUp,
} from '../../support/accounts';
import { createApiKey, type CreatedApiKey } from '../../support/api-keys';
import { upload } from '../../support/files';
import { tusOptions, tusUpload } from '../../support/tus';
import { createListeningTestApp, type TestApp } from '../../support/test-app';

type Method = 'get' | 'head' | 'post' | 'patch' | 'delete' | 'options';

interface Route {
  method: Method;
  path: () => string;
  /** The scope that opens it; undefined: no API key may call it. */
  scope?: ApiKeyScope;
  send?: () => Record<string, unknown>;
  attach?: boolean;
  tus?: boolean;
}

describe('personal API key scopes', () => {
  let t: TestApp;
  let baseUrl: string;
  let owner: Account;
  let other: Account;
  let fileId: string;
  const unknownId = () => new Types.ObjectId().toHexString();

  const routes: Route[] = [
    { method: 'get', path: () => '/api/v1/files', scope: 'files:read' },
    { method: 'get', path: () => `/api/v1/files/${fileId}`, scope: 'files:read' },
    { method: 'get', path: () => `/api/v1/files/${fileId}/content`, scope: 'files:read' },
    { method: 'head', path: () => `/api/v1/files/${fileId}/content`, scope: 'files:read' },
    { method: 'get', path: () => `/api/v1/files/${fileId}/activity`, scope: 'files:read' },
    { method: 'post', path: () => '/api/v1/files', scope: 'files:write', attach: true },
    {
      method: 'patch',
      path: () => `/api/v1/files/${fileId}`,
      scope: 'files:write',
      send: () => ({ name: 'renamed.txt' }),
    },
    { method: 'delete', path: () => `/api/v1/files/${unknownId()}`, scope: 'files:write' },
    { method: 'options', path: () => '/api/v1/uploads', scope: 'files:write', tus: true },
    {
      method: 'head',
      path: () => `/api/v1/uploads/${unknownId()}`,
      scope: 'files:write',
      tus: true,
    },
    {
      method: 'post',
      path: () => `/api/v1/files/${fileId}/shares`,
      scope: 'shares:write',
      send: () => ({ email: other.email }),
    },
    { method: 'get', path: () => `/api/v1/files/${fileId}/shares`, scope: 'shares:write' },
    {
      method: 'delete',
      path: () => `/api/v1/files/${fileId}/shares/${unknownId()}`,
      scope: 'shares:write',
    },
    { method: 'get', path: () => '/api/v1/links/policy', scope: 'links:write' },
    {
      method: 'post',
      path: () => `/api/v1/files/${fileId}/links`,
      scope: 'links:write',
      send: () => ({}),
    },
    { method: 'get', path: () => `/api/v1/files/${fileId}/links`, scope: 'links:write' },
    { method: 'delete', path: () => `/api/v1/links/${unknownId()}`, scope: 'links:write' },
    { method: 'get', path: () => '/api/v1/audit-events', scope: 'audit:read' },
    { method: 'get', path: () => '/api/v1/audit-events/verify', scope: 'audit:read' },
    { method: 'get', path: () => '/api/v1/webhooks', scope: 'webhooks:write' },
    {
      method: 'delete',
      path: () => `/api/v1/webhooks/${unknownId()}`,
      scope: 'webhooks:write',
    },
    // Closed to every key: account, credential and user management.
    { method: 'get', path: () => '/api/v1/users/me' },
    {
      method: 'post',
      path: () => '/api/v1/users/me/api-keys',
      send: () => ({ name: 'x', scopes: ['files:read'], expiresAt: new Date(Date.now() + 1e8) }),
    },
    { method: 'get', path: () => '/api/v1/users/me/api-keys' },
    {
      method: 'patch',
      path: () => '/api/v1/users/me/password',
      send: () => ({ currentPassword: owner.password, newPassword: 'quiet meadow rocket 1234' }),
    },
    { method: 'post', path: () => '/api/v1/users/me/mfa/totp' },
    { method: 'get', path: () => '/api/v1/users/me/sessions' },
    { method: 'delete', path: () => '/api/v1/users/me/sessions' },
    { method: 'get', path: () => '/api/v1/users/me/export' },
    { method: 'get', path: () => '/api/v1/users' },
    { method: 'patch', path: () => `/api/v1/users/${other.id}`, send: () => ({ quota: 5 }) },
    { method: 'get', path: () => `/api/v1/users/${other.id}/api-keys` },
    { method: 'delete', path: () => `/api/v1/users/${other.id}/sessions` },
  ];

  /** The route called with the bearer; `outcome` reads "<method> <path> <status>". */
  const call = async (route: Route, bearer: string) => {
    const path = route.path();
    let req = t.http()[route.method](path).set('Authorization', bearer);
    if (route.tus) req = req.set('Tus-Resumable', '1.0.0');
    if (route.attach) {
      req = req.attach('file', Buffer.from('key upload'), {
        filename: 'k.txt',
        contentType: 'text/plain',
      });
    }
    const res = await (route.send ? req.send(route.send()) : req);
    return { res, outcome: `${route.method} ${path} ${res.status}` };
  };

  beforeAll(async () => {
    // Listening at its PUBLIC_URL: tus answers with absolute upload URLs built from it.
    const listening = await createListeningTestApp({ env: ADMIN_ENV });
    t = listening;
    baseUrl = listening.baseUrl;
    // An admin owner, so audit:read has a role to narrow; the role checks have their own tests.
    owner = await createWithRole(t, await firstAdmin(t), 'admin');
    other = await signUp(t, 'other');
    fileId = (await upload(t, owner, Buffer.from('scoped')).expect(201)).body.id as string;
  });
  afterAll(() => t.close());

  describe.each(API_KEY_SCOPES.map((scope) => [scope]))('a key with only %s', (scope) => {
    let key: CreatedApiKey;
    beforeAll(async () => {
      key = await createApiKey(t, owner, [scope]);
    });

    it.each(routes.filter((route) => route.scope === scope).map((r) => [r.method, r]))(
      'may %s its route',
      async (_method, route) => {
        const { outcome } = await call(route, key.bearer);
        expect(outcome).not.toMatch(/ (401|403|5\d\d)$/);
      },
    );

    it('is refused (403) on every other route, saying why', async () => {
      for (const route of routes.filter((r) => r.scope !== scope)) {
        const { res, outcome } = await call(route, key.bearer);
        expect(outcome).toMatch(/ 403$/);
        if (route.method !== 'head') {
          expect(res.body.message).toBe(
            route.scope
              ? `This API key lacks the scope ${route.scope}`
              : 'API keys cannot be used for this route; sign in to use it',
          );
        }
      }
    });
  });

  it('a key with every scope still cannot manage keys, passwords, factors, sessions or users', async () => {
    const key = await createApiKey(t, owner, [...API_KEY_SCOPES]);
    for (const route of routes.filter((r) => r.scope === undefined)) {
      const { outcome } = await call(route, key.bearer);
      expect(outcome).toMatch(/ 403$/);
    }
  });

  it('a files:write key uploads through tus, and the file is listed', async () => {
    const key = await createApiKey(t, owner, ['files:write']);
    const reader = await createApiKey(t, owner, ['files:read']);
    const data = Buffer.alloc(300_000, 9);
    const { fileId: uploaded } = await tusUpload(
      data,
      tusOptions(baseUrl, key, { metadata: { filename: 'ci-artifact.bin' } }),
    );
    const res = await t.http().get(`/api/v1/files/${uploaded}`).set('Authorization', reader.bearer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'ci-artifact.bin', size: data.length });
  });

  it('a files:read key of a plain user still sees only what the user may (404, not the file)', async () => {
    const unshared = (await upload(t, owner, Buffer.from('private')).expect(201)).body.id as string;
    const key = await createApiKey(t, other, ['files:read']);
    await t.http().get(`/api/v1/files/${unshared}`).set('Authorization', key.bearer).expect(404);
  });
});
