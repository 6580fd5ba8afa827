import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { type AuthenticatedUser, clientContextOf, IS_PUBLIC_KEY } from '@strongroom/common';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator.service';
import { looksLikeApiKey } from '../api-keys/api-key-secret';

const bearerCredential = (req: Request) =>
  /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];

/**
 * Global: every route needs a valid access token or personal API key unless marked @Public().
 * Whichever was sent, the route sees one principal; what a key may reach is the RolesGuard's call.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyAuthenticator,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthenticatedUser }>();
    const credential = bearerCredential(req);
    if (credential && looksLikeApiKey(credential)) {
      req.user = await this.apiKeys.authenticate(credential, clientContextOf(req));
      return true;
    }
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    // Errors from validate() (a session that ended, the database down) keep their own status.
    if (error instanceof Error) throw error;
    if (user) return user;
    const reason = info instanceof Error ? info.name : '';
    if (reason === 'TokenExpiredError')
      throw new UnauthorizedException('The access token has expired; refresh it');
    if (info instanceof Error && /No auth token/i.test(info.message)) {
      throw new UnauthorizedException(
        'Sign in and send the access token as "Authorization: Bearer <token>"',
      );
    }
    throw new UnauthorizedException('Invalid access token');
  }
}
