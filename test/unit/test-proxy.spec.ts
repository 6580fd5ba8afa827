import fs from 'node:fs';
import path from 'node:path';
import { LONG_ROUTES } from '@strongroom/testing';

/** `location` blocks of an nginx config whose body sets the given directive, by their match. */
function locationsSetting(config: string, directive: RegExp): string[] {
  return [...config.matchAll(/location\s+([^{]+?)\s*\{([^}]*)\}/g)]
    .filter(([, , body]) => directive.test(body))
    .map(([, match]) => match.trim());
}

describe('the test proxy in front of several instances (scaling tests, bench:soak)', () => {
  it('waits as long as deploy/nginx/nginx.conf on the routes that move files', () => {
    const deployed = fs.readFileSync(
      path.resolve(__dirname, '../../deploy/nginx/nginx.conf'),
      'utf8',
    );
    expect([...LONG_ROUTES].sort()).toEqual(
      locationsSetting(deployed, /proxy_read_timeout\s+1h;/).sort(),
    );
  });
});
