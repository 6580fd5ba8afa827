import type { NextFunction, Request, Response } from 'express';

export const TUS_VERSION = '1.0.0';

/**
 * tus wants Tus-Resumable on every response, refusals included: those written by our global
 * filter (a 401 from the guard, a 409 or 413 from the DataStore) as much as tus's own. Set before
 * anything answers, it is on all of them.
 */
export function tusResumableHeader(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Tus-Resumable', TUS_VERSION);
  next();
}
