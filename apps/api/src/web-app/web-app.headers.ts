import type { ServerResponse } from 'node:http';
import path from 'node:path';

/**
 * The app's own policy, stricter than helmet's default (which allows inline styles): the build
 * inlines nothing, so scripts, styles, images and fetches come from this origin only.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Vite names every built asset by its content hash, so a changed file has a new name. */
const HASHED_ASSET = /\/assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/** Headers for every file the app serves, index.html included. */
export function setWebAppHeaders(res: ServerResponse, file: string): void {
  res.setHeader('Content-Security-Policy', WEB_APP_CSP);
  const cacheControl = HASHED_ASSET.test(file.split(path.sep).join('/'))
    ? 'public, max-age=31536000, immutable'
    : // index.html and the icon: revalidate, so a deployment is picked up at the next load.
      'no-cache';
  res.setHeader('Cache-Control', cacheControl);
}
