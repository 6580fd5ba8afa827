import type { Request } from 'express';
import { METHODS } from 'node:http';
import { isCatchAllPattern } from '@strongroom/common';

interface RouterLayer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  matchers?: Array<(path: string) => unknown>;
}

interface RegisteredRoute {
  /** Its place on the router: Express tries routes in this order. */
  order: number;
  template: string;
  methods: ReadonlySet<string>;
  matches(path: string): boolean;
}

/** How many leading path segments the routes are filed under. */
const INDEXED_SEGMENTS = 3;
/** A segment of a template that only matches itself (no parameter, wildcard or group). */
const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/**
 * The routes by their first path segments, lower-cased (Express matches without regard to case):
 * a path can only match a route whose leading segments are literally its own, so each request
 * runs the matchers of those few routes, and of the routes that start with a parameter, instead
 * of the matchers of all of them.
 */
interface RouteIndex {
  /** The routes filed under those segments and the unindexed ones, merged in Express's order. */
  bySegments: ReadonlyMap<string, readonly RegisteredRoute[]>;
  /** Routes with a parameter (or fewer segments) among their first ones: tried for every path. */
  unindexed: readonly RegisteredRoute[];
  all: readonly RegisteredRoute[];
}

/** The key of a path's leading segments, or undefined when it has fewer. */
function leadingSegments(path: string): string | undefined {
  const segments = path.split('/', INDEXED_SEGMENTS + 1).slice(1);
  return segments.length === INDEXED_SEGMENTS && segments.every((segment) => segment !== '')
    ? segments.join('/').toLowerCase()
    : undefined;
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
  private index?: RouteIndex;

  constructor(private readonly router: () => { stack: readonly object[] }) {}

  match(req: Request): RouteMatch {
    const method = req.method.toUpperCase();
    const { path } = req;
    const candidates = this.candidatesFor(path);
    const matching: RegisteredRoute[] = [];
    for (const route of candidates) {
      if (!route.matches(path)) continue;
      if (route.methods.has(method) || (method === 'HEAD' && route.methods.has('GET'))) {
        // Served, as nearly every request is: the other routes' matchers run only if someone
        // asks which methods the path allows (they were a twenty-fifth of GET /users/me's CPU).
        return {
          served: true,
          template: route.template,
          get allowed() {
            return allowedMethods(candidates.filter((other) => other.matches(path)));
          },
        };
      }
      matching.push(route);
    }
    return { served: false, template: matching[0]?.template, allowed: allowedMethods(matching) };
  }

  /** The routes that may match the path, in the order Express tries them. */
  private candidatesFor(path: string): readonly RegisteredRoute[] {
    const { bySegments, unindexed, all } = this.registered();
    // Outside ASCII, lower-casing and the matchers' case-insensitivity may disagree: try all.
    if (!/^[\x20-\x7e]*$/.test(path)) return all;
    const key = leadingSegments(path);
    return (key === undefined ? undefined : bySegments.get(key)) ?? unindexed;
  }

  /** Read once, at the first request: Nest registers every route during init. */
  private registered(): RouteIndex {
    this.index ??= indexRoutes(
      this.router().stack.flatMap((layer, order): RegisteredRoute[] => {
        const { route, matchers } = layer as RouterLayer;
        if (!route || typeof route.path !== 'string' || isCatchAllPattern(route.path)) return [];
        if (!matchers) return [];
        const methods = Object.keys(route.methods).filter((name) => route.methods[name]);
        // A binding for every method is Nest's middleware (or an @All handler): it says nothing
        // about which methods the path serves.
        if (methods.length >= METHODS.length) return [];
        return [
          {
            order,
            template: route.path,
            methods: new Set(methods.map((name) => name.toUpperCase())),
            matches: (path) => matchers.some((matcher) => Boolean(matcher(path))),
          },
        ];
      }),
    );
    return this.index;
  }
}

function allowedMethods(routes: readonly RegisteredRoute[]): string[] {
  const allowed = new Set(routes.flatMap((route) => [...route.methods]));
  if (allowed.has('GET')) allowed.add('HEAD');
  if (allowed.size > 0) allowed.add('OPTIONS');
  return [...allowed].sort();
}

function indexRoutes(all: RegisteredRoute[]): RouteIndex {
  const bySegments = new Map<string, RegisteredRoute[]>();
  const unindexed: RegisteredRoute[] = [];
  for (const route of all) {
    const segments = route.template.split('/').slice(1, INDEXED_SEGMENTS + 1);
    const literal =
      segments.length === INDEXED_SEGMENTS &&
      segments.every((segment) => LITERAL_SEGMENT.test(segment));
    const key = literal ? leadingSegments(route.template) : undefined;
    if (key === undefined) {
      unindexed.push(route);
      continue;
    }
    bySegments.set(key, [...(bySegments.get(key) ?? []), route]);
  }
  // Merged once here, not for every request: that merge and sort showed in GET /users/me's profile.
  for (const [key, filed] of bySegments) {
    bySegments.set(
      key,
      [...filed, ...unindexed].sort((a, b) => a.order - b.order),
    );
  }
  return { bySegments, unindexed, all };
}
