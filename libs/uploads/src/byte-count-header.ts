/** A header holding a byte count or an offset, if it is a plain decimal integer a number can hold. */
export function byteCount(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const count = Number(value);
  return Number.isSafeInteger(count) ? count : undefined;
}
