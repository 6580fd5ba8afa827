import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ApiErrors } from './api-errors.decorator';

/** What a personal API key may be allowed to do; each scope opens exactly the routes marked with it. */
export const API_KEY_SCOPES = [
  'files:read',
  'files:write',
  'shares:write',
  'links:write',
  'audit:read',
  'webhooks:write',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const REQUIRED_SCOPE_KEY = 'strongroom:apiKeyScope';

/**
 * The scope an API key needs for this route. Routes without one are closed to API keys (deny by
 * default), so a key can never manage keys, passwords, factors, sessions or users. The caller's
 * role still applies: a key never does more than its owner's current role allows.
 */
export const RequiresScope = (scope: ApiKeyScope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE_KEY, scope),
    ApiExtension('x-api-key-scope', scope),
    // An API key without the scope is refused with 403.
    ApiErrors(403),
  );
