import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength, ValidateBy } from 'class-validator';
import { invisibleCharactersProblem, normalizeEmail } from '../email';

/**
 * An account's email in a request body: normalised as it is stored (see normalizeEmail), then
 * refused with a 400 that names them when it holds invisible characters, or is no address.
 */
export function AccountEmail(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normalizeEmail(value) : value,
    ),
    ValidateBy({
      name: 'noInvisibleCharacters',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || invisibleCharactersProblem(value) === undefined,
        defaultMessage: (args) => invisibleCharactersProblem(String(args?.value)) ?? '',
      },
    }),
    IsEmail({}, { message: 'email must be an email address' }),
    MaxLength(254),
  );
}
