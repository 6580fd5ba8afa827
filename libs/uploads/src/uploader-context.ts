import { UnauthorizedException } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuthenticatedUser, ClientContext } from '@strongroom/common';

/** Who is calling, for the tus DataStore, whose methods receive only an upload id. */
export interface Uploader {
  user: AuthenticatedUser;
  client: ClientContext;
  /** The request body's Content-Length (a PATCH, a creation with upload), when it declares one. */
  bodyLength?: number;
}

const context = new AsyncLocalStorage<Uploader>();

export function runAsUploader<T>(uploader: Uploader, work: () => Promise<T>): Promise<T> {
  return context.run(uploader, work);
}

export function currentUploader(): Uploader {
  const uploader = context.getStore();
  if (!uploader) throw new UnauthorizedException();
  return uploader;
}
