import type { Request } from 'express';
import { METHODS } from 'node:http';
import { isCatchAllPattern } from '@strongroom/common';

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  matchers?: Array<(path: string) => unknown>;
}

interface RegisteredRoute {
  template: string;
  methods: ReadonlySet<string>;
  matches(path: string): boolean;
}

export interface RouteMatch {
  /** Whether a route serves this method on this path. */
  served: boolean;
  /** The template of that route, or of another route on the path; none for an unknown path. */
  template?: string;
  /** Every method some route serves on this path (upper case); empty for an unknown path. */
  allowed: string[];
}

/**
 * The routes Nest registered on the Express router, matched the way Express matches them, so a
 * request can be placed before routing: to answer 405 with `Allow`, or to label one refused early.
 */
export class RouteTable {
  private routes?: RegisteredRoute[];

  constructor(private readonly router: () => { stack: readonly object[] }) {}

  match(req: Request): RouteMatch {
    const method = req.method.toUpperCase();
    const candidates = this.registered().filter((route) => route.matches(req.path));
    const serving = candidates.find(
      (route) => route.methods.has(method) || (method === 'HEAD' && route.methods.has('GET')),
    );
    const allowed = new Set(candidates.flatMap((route) => [...route.methods]));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.size > 0) allowed.add('OPTIONS');
    return {
      served: serving !== undefined,
      template: (serving ?? candidates[0])?.template,
      allowed: [...allowed].sort(),
    };
  }

  /** Read once, at the first request: Nest registers every route during init. */
  private registered(): RegisteredRoute[] {
    this.routes ??= this.router().stack.flatMap((layer): RegisteredRoute[] => {
      const { route, matchers } = layer as RouterLayer;
      if (!route || typeof route.path !== 'string' || isCatchAllPattern(route.path)) return [];
      if (!matchers) return [];
      const methods = Object.keys(route.methods).filter((name) => route.methods[name]);
      // A binding for every method is Nest's middleware (or an @All handler): it says nothing
      // about which methods the path serves.
      if (methods.length >= METHODS.length) return [];
      return [
        {
          template: route.path,
          methods: new Set(methods.map((name) => name.toUpperCase())),
          matches: (path) => matchers.some((matcher) => Boolean(matcher(path))),
        },
      ];
    });
    return this.routes;
  }
}
