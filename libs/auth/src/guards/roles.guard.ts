import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import {
  type ApiKeyScope,
  type AuthenticatedUser,
  REQUIRED_SCOPE_KEY,
  type Role,
  ROLES_KEY,
} from '@strongroom/common';

/**
 * Global: routes marked @Roles(...) are refused (403) to every other role. A caller with an API
 * key also needs the route's @RequiresScope in the key's scopes; a route without one is closed to
 * keys. Both apply, so a key never does more than its owner's current role allows.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const user = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>().user;
    if (user?.apiKey) {
      const scope = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(
        REQUIRED_SCOPE_KEY,
        targets,
      );
      if (!scope) {
        throw new ForbiddenException('API keys cannot be used for this route; sign in to use it');
      }
      if (!user.apiKey.scopes.includes(scope)) {
        throw new ForbiddenException(`This API key lacks the scope ${scope}`);
      }
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!allowed) return true;
    if (user && allowed.includes(user.role)) return true;
    throw new ForbiddenException(`This needs the ${allowed.join(' or ')} role`);
  }
}
