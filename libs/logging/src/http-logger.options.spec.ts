import express, { type NextFunction, type Request, type Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { pinoHttp } from 'pino-http';
import type { AppConfig } from '@strongroom/config';
import { httpLoggerOptions } from './http-logger.options';

/**
 * Serves one route through pino-http with our options and hands back the lines it logged, and
 * how many child loggers the request made.
 */
async function logLinesOf(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ lines: string[]; children: number }> {
  const options = httpLoggerOptions({ logLevel: 'info', environment: 'test' } as AppConfig);
  const output = new PassThrough();
  const lines: string[] = [];
  output.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n')));
  const app = express();
  const requestLogger = pinoHttp(options, output);
  // Child loggers inherit it, so this counts theirs too.
  const child = jest.spyOn(requestLogger.logger, 'child');
  app.use(requestLogger);
  app.get('/files/:id', (req: Request, _res: Response, next: NextFunction) => {
    // Set after pino-http's start of request, as the auth guard does.
    (req as Request & { user: { id: string } }).user = { id: 'user-1' };
    next();
  });
  app.get('/files/:id', (_req, res) => res.status(204).end());
  app.post('/session', (_req, res) => {
    res.setHeader('Set-Cookie', 'refresh=set-cookie-secret; HttpOnly');
    res.status(204).end();
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const method = path === '/session' ? 'POST' : 'GET';
    await (await fetch(`http://127.0.0.1:${port}${path}`, { method, headers })).arrayBuffer();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return { lines: lines.filter((line) => line.trim() !== ''), children: child.mock.calls.length };
}

describe('httpLoggerOptions', () => {
  it('logs the matched route and the user once each, never the raw path', async () => {
    const {
      lines: [line, ...more],
    } = await logLinesOf('/files/0123456789abcdef01234567');
    expect(more).toEqual([]);
    expect(line.match(/"route":/g)).toHaveLength(1);
    expect(line.match(/"userId":/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({
      route: '/files/:id',
      userId: 'user-1',
      res: { statusCode: 204 },
      msg: 'GET /files/:id 204',
    });
    expect(line).not.toContain('0123456789abcdef01234567');
  });

  it('makes one child logger per request: each one serializes its bindings again', async () => {
    const { children } = await logLinesOf('/files/0123456789abcdef01234567');
    expect(children).toBe(1);
  });

  it('keeps credentials in request and response headers out of the line', async () => {
    const { lines } = await logLinesOf('/session', {
      authorization: 'Bearer header.jwt.secret',
      cookie: 'refresh=cookie-secret',
      'x-api-key': 'srk_api-key-secret',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/header\.jwt|cookie-secret|api-key-secret|set-cookie-secret/);
    expect(JSON.parse(lines[0])).toMatchObject({ msg: 'POST /session 204' });
  });
});
