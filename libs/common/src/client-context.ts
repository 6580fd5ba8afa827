import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** Where a request came from, for security events and the audit trail. */
export interface ClientContext {
  requestId: string;
  /** As resolved by Express through `TRUST_PROXY`, so a forged X-Forwarded-For is ignored. */
  ip: string;
  userAgent?: string;
}

export function clientContextOf(req: Request): ClientContext {
  const id = req.id;
  return {
    requestId: typeof id === 'string' || typeof id === 'number' ? String(id) : '',
    ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    userAgent: req.headers['user-agent']?.slice(0, 256),
  };
}

export const Client = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClientContext =>
    clientContextOf(context.switchToHttp().getRequest<Request>()),
);
