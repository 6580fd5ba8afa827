import express, { type Request } from 'express';
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
});
