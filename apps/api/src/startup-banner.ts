import type { AppConfig } from '@strongroom/config';
import { DOCS_PATH } from './http/swagger.setup';

/** The last startup line: where to go now, so a newcomer never has to guess the next step. */
export function startupBanner(config: AppConfig, hasUsers: boolean): string {
  const app = config.http.publicUrl;
  const nextStep = hasUsers
    ? 'sign in there'
    : 'no account exists yet: create the first admin with ADMIN_EMAIL and ADMIN_PASSWORD, ' +
      'or `npm run cli -- create-admin`';
  return `Ready: the app is at ${app}/ and the API documentation at ${app}/${DOCS_PATH}; ${nextStep}`;
}
