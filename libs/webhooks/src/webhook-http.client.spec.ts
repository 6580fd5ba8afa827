import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '@strongroom/config';
import { WebhookHttpClient, WebhookTargetRefused } from './webhook-http.client';

const clientWith = (
  allowedHosts: string[],
  timeoutMs = 2_000,
  environment: AppConfig['environment'] = 'test',
) =>
  new WebhookHttpClient({
    environment,
    webhooks: { allowedHosts, timeoutMs, retryBaseMs: 100, maxAttempts: 3 },
  } as AppConfig);

describe('WebhookHttpClient: posts only where it may', () => {
  let server: Server;
  let port: number;
  const calls: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      calls.push(req.url ?? '');
      if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/flood') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        pump();
      } else if (req.url === '/silent') return;
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (calls.length = 0));

  it('refuses a loopback target at delivery without connecting, unless the host is allow-listed', async () => {
    await expect(clientWith([]).post(`http://127.0.0.1:${port}/ok`, {}, '{}')).rejects.toThrow(
      WebhookTargetRefused,
    );
    await expect(clientWith([]).post(`http://localhost:${port}/ok`, {}, '{}')).rejects.toThrow(
      /localhost resolves to .*loopback/,
    );
    expect(calls).toEqual([]);
    await expect(
      clientWith(['127.0.0.1']).post(`http://127.0.0.1:${port}/ok`, {}, '{}'),
    ).resolves.toEqual({ statusCode: 204 });
  });

  it('refuses plain http:// in production unless the host is allow-listed', async () => {
    const production = (hosts: string[]) => clientWith(hosts, 2_000, 'production');
    await expect(production([]).refusal('http://hooks.example.com/in')).resolves.toMatch(
      /must start with https:\/\/ in production/,
    );
    await expect(
      production(['127.0.0.1']).post(`http://127.0.0.1:${port}/ok`, {}, '{}'),
    ).resolves.toEqual({ statusCode: 204 });
    await expect(production(['::1']).refusal(`http://[::1]:${port}/ok`)).resolves.toBeUndefined();
  });

  it('connects to the address it checked for an allow-listed name (one lookup)', async () => {
    const lookups = jest.spyOn(dns, 'lookup');
    await expect(
      clientWith(['localhost']).post(`http://localhost:${port}/ok`, {}, '{}'),
    ).resolves.toEqual({ statusCode: 204 });
    expect(calls).toEqual(['/ok']);
    // The connection used the checked answer: no second lookup a rebinding DNS could answer.
    expect(lookups).toHaveBeenCalledTimes(1);
    lookups.mockRestore();
  });

  it('does not follow a redirect', async () => {
    await expect(
      clientWith(['127.0.0.1']).post(`http://127.0.0.1:${port}/redirect`, {}, '{}'),
    ).resolves.toEqual({ statusCode: 302 });
    expect(calls).toEqual(['/redirect']);
  });

  it('stops reading an endless answer', async () => {
    await expect(
      clientWith(['127.0.0.1']).post(`http://127.0.0.1:${port}/flood`, {}, '{}'),
    ).resolves.toEqual({ statusCode: 200 });
  });

  it('gives up on a receiver that never answers', async () => {
    const started = Date.now();
    await expect(
      clientWith(['127.0.0.1'], 300).post(`http://127.0.0.1:${port}/silent`, {}, '{}'),
    ).rejects.toThrow(/timeout/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.each([
    ['file:///etc/passwd', 'must start with https:// or http://'],
    ['http://user:pw@hooks.example.com/', 'must not hold credentials'],
    ['not a url', 'not a valid absolute URL'],
    ['http://[fe80::1]/', 'link-local'],
  ])('explains why %s may not be registered', async (url, reason) => {
    expect(await clientWith([]).refusal(url)).toContain(reason);
  });
});
