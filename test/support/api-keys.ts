import type { ApiKeyScope } from '@strongroom/common';
import type { Account } from './accounts';
import type { TestApp } from './test-app';

export interface CreatedApiKey {
  id: string;
  key: string;
  /** `Bearer <key>`, to use wherever an account's bearer goes. */
  bearer: string;
}

const DAY_MS = 86_400_000;

/** Creates a personal API key as the signed-in owner (201 expected). */
export async function createApiKey(
  t: TestApp,
  owner: Pick<Account, 'bearer'>,
  scopes: ApiKeyScope[],
  expiresAt = new Date(Date.now() + 30 * DAY_MS),
): Promise<CreatedApiKey> {
  const res = await t
    .http()
    .post('/api/v1/users/me/api-keys')
    .set('Authorization', owner.bearer)
    .send({ name: `key for ${scopes.join(' ') || 'nothing'}`, scopes, expiresAt })
    .expect(201);
  const { id, key } = res.body as { id: string; key: string };
  return { id, key, bearer: `Bearer ${key}` };
}
