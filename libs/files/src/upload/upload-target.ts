import type { Request } from 'express';
import type { AuthenticatedUser } from '@strongroom/common';

/** Whose space a multipart upload goes into, and through which upload request if any. */
export interface UploadTarget {
  owner: AuthenticatedUser;
  uploadRequestId?: string;
}

const TARGET = Symbol('strongroom:uploadTarget');
type WithTarget = Request & { [TARGET]?: UploadTarget; user?: AuthenticatedUser };

/**
 * Sets the target before the upload interceptor runs (from a guard): an anonymous upload through
 * an upload request goes into the requester's space, with the requester's quota and limits.
 */
export function setUploadTarget(req: Request, target: UploadTarget): void {
  (req as WithTarget)[TARGET] = target;
}

/** The target a route set, else the signed-in caller's own space. */
export function uploadTargetOf(req: Request): UploadTarget | undefined {
  const { [TARGET]: target, user } = req as WithTarget;
  return target ?? (user ? { owner: user } : undefined);
}
