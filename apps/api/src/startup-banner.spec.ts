import type { AppConfig } from '@strongroom/config';
import { startupBanner } from './startup-banner';

const config = { http: { publicUrl: 'https://files.example.com' } } as AppConfig;

describe('startupBanner', () => {
  it('gives the app and documentation URLs from PUBLIC_URL', () => {
    const line = startupBanner(config, true);
    expect(line).toContain('the app is at https://files.example.com/');
    expect(line).toContain('documentation at https://files.example.com/docs');
    expect(line).toMatch(/sign in there$/);
  });

  it('tells how to create the first admin when nobody can sign in yet', () => {
    const line = startupBanner(config, false);
    expect(line).toContain('ADMIN_EMAIL and ADMIN_PASSWORD');
    expect(line).toContain('npm run cli -- create-admin');
  });
});
