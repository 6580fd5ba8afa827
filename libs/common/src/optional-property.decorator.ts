import { ValidateIf } from 'class-validator';

/**
 * A body property that may be left out, but not sent as null. `@IsOptional()` also waves null
 * through, and a service then stores it (`disabled: null`, `displayName: null`) where the document
 * promises a boolean or a string; keep `@IsOptional()` for properties where null means something
 * and is documented as nullable (a quota of null is no limit).
 */
export const OptionalProperty = () =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
