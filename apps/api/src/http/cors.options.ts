import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { HttpConfig } from '@strongroom/config';

const LOCALHOST_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export function corsOptions(http: HttpConfig): CorsOptions {
  const allowed = http.allowedOrigins;
  return {
    origin:
      allowed === 'localhost'
        ? LOCALHOST_ORIGIN
        : allowed.includes('*')
          ? true
          : allowed.map((origin) => origin.replace(/\/$/, '')),
    methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Range', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Content-Disposition', 'Content-Range', 'ETag', 'Retry-After'],
    maxAge: 600,
  };
}
