import { type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC_KEY } from '@strongroom/common';

/** Global: every route needs a valid access token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
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
