import type { Types } from 'mongoose';

export const FILE_KEY_PREFIX = 'f';

/** Keys built only from the record's generated id, fanned out so no folder grows huge. */
export function fileStorageKey(id: Types.ObjectId): string {
  const hex = id.toHexString();
  return `${FILE_KEY_PREFIX}/${hex.slice(-2)}/${hex.slice(-4, -2)}/${hex}`;
}
