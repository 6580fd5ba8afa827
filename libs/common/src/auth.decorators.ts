import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedUser, Role } from './principal';

export const ROLES_KEY = 'strongroom:roles';

/** Only these roles may call the route; the roles guard answers 403 to anyone else. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller; only on routes behind the authentication guard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser => {
    const user = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>().user;
    if (!user) throw new Error('CurrentUser used on a route without an authenticated user');
    return user;
  },
);
