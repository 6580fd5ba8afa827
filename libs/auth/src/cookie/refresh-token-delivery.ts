import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { OptionalProperty } from '@strongroom/common';

export type RefreshTokenDelivery = 'body' | 'cookie';

/** The optional body field of every route that ends signed in, so the web app never sees a refresh token. */
export const RefreshTokenDeliveryProperty = () =>
  applyDecorators(
    ApiPropertyOptional({
      enum: ['body', 'cookie'],
      default: 'body',
      description:
        'cookie: the refresh token is set as an HttpOnly, Secure, SameSite=Strict cookie on /api/v1/auth and left out of the response (for the web app)',
    }),
    OptionalProperty(),
    IsIn(['body', 'cookie'], { message: 'refreshTokenDelivery must be body or cookie' }),
  );
