import express, { type Request } from 'express';
import { methodNotAllowed } from './method-not-allowed';
import { RouteTable } from './route-table';

function tableOf(register: (app: express.Express) => void): RouteTable {
  const app = express();
  register(app);
  return new RouteTable(() => app.router);
}

const request = (method: string, path: string) => ({ method, path }) as Request;

describe('RouteTable', () => {
  const routes = tableOf((app) => {
    // As Nest binds middleware for every method: no say in which methods a path serves.
    app.all('/files/:id', (_req, _res, next) => next());
    app.get('/files/:id', () => undefined);
    app.delete('/files/:id', () => undefined);
    app.post('/files', () => undefined);
    app.all('/api/{*path}', (_req, _res, next) => next());
  });

  it('finds the template of the route serving the method, HEAD through GET', () => {
    expect(routes.match(request('GET', '/files/abc'))).toEqual({
      served: true,
      template: '/files/:id',
      allowed: ['DELETE', 'GET', 'HEAD', 'OPTIONS'],
    });
    expect(routes.match(request('HEAD', '/files/abc')).served).toBe(true);
  });

  it('lists the methods of a known path that does not serve the one asked', () => {
    expect(routes.match(request('PUT', '/files'))).toEqual({
      served: false,
      template: '/files',
      allowed: ['OPTIONS', 'POST'],
    });
  });

  it('knows nothing of paths only catch-alls and every-method bindings match', () => {
    expect(routes.match(request('GET', '/api/anything'))).toEqual({ served: false, allowed: [] });
    expect(routes.match(request('GET', '/files/a/b'))).toEqual({ served: false, allowed: [] });
  });

  describe('with many routes', () => {
    const templates = [
      '/api/v1/files/:id/content',
      '/api/v1/files/:id',
      '/api/v1/files',
      '/api/v1/users/me',
      '/api/v1',
      '/s/:token',
      '/:anything/v1/files/:id',
      ...Array.from({ length: 50 }, (_, i) => `/api/v1/thing${i}/:id`),
    ];
    let calls = 0;
    const many = tableOf((app) => {
      for (const template of templates) app.get(template, () => undefined);
      app.delete('/api/v1/files/:id', () => undefined);
      // Counts every matcher the table runs (it reads the router at its first match).
      for (const layer of app.router.stack as { matchers?: ((path: string) => unknown)[] }[]) {
        layer.matchers = layer.matchers?.map((matcher) => (path: string) => {
          calls += 1;
          return matcher(path);
        });
      }
    });
    beforeEach(() => (calls = 0));

    it('runs only the matchers of routes that share the leading segments, or start with a parameter', () => {
      const match = many.match(request('GET', '/api/v1/files/abc'));
      // The three routes filed under api/v1/files, the DELETE, and the three starting with a parameter or short.
      expect(calls).toBeLessThanOrEqual(7);
      expect(match).toEqual({
        served: true,
        template: '/api/v1/files/:id',
        allowed: ['DELETE', 'GET', 'HEAD', 'OPTIONS'],
      });
    });

    it('stops at the route serving the request, and lists the others only when asked', () => {
      const match = many.match(request('GET', '/api/v1/files/abc/content'));
      expect(match).toMatchObject({ served: true, template: '/api/v1/files/:id/content' });
      expect(calls).toBe(1);
      expect(many.match(request('DELETE', '/api/v1/files/abc')).allowed).toEqual([
        'DELETE',
        'GET',
        'HEAD',
        'OPTIONS',
      ]);
    });

    it('lets a served request through the 405 check with the one matcher of its route', () => {
      const next = jest.fn();
      const req = request('GET', '/api/v1/files/abc/content');
      methodNotAllowed(many)(req, { setHeader: jest.fn() } as never, next);
      expect(next).toHaveBeenCalledWith();
      expect(calls).toBe(1);
    });

    it('answers a method the path does not serve with 405 and every allowed method', () => {
      const next = jest.fn();
      const res = { setHeader: jest.fn() };
      methodNotAllowed(many)(request('PUT', '/api/v1/files/abc'), res as never, next);
      expect(res.setHeader).toHaveBeenCalledWith('Allow', 'DELETE, GET, HEAD, OPTIONS');
      expect(next).toHaveBeenCalledWith(expect.objectContaining({ status: 405 }));
    });

    it.each([
      ['/API/V1/Files/abc', '/api/v1/files/:id'],
      ['/api/v1/files/', '/api/v1/files'],
      ['/api/v1/users/me', '/api/v1/users/me'],
      ['/api/v1', '/api/v1'],
      ['/s/abc', '/s/:token'],
      ['/xyz/v1/files/abc', '/:anything/v1/files/:id'],
      ['/api/v1/thing42/7', '/api/v1/thing42/:id'],
      ['/api//v1/files/abc', undefined],
      ['/api/v1/fil%65s/abc', undefined],
      ['/api/v1/nothing/abc', undefined],
    ])('places %s as Express does, on %s', (path, template) => {
      expect(many.match(request('GET', path)).template).toBe(template);
    });
  });
});
