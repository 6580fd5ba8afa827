import bytes from 'bytes';
import ms from 'ms';

const BYTE_SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/i;

/** Parses `50MB`, `1.5GB` or `1048576` (bytes; binary multiples, as nginx and multer count). */
export function parseByteSize(text: string): number | undefined {
  const trimmed = text.trim();
  if (!BYTE_SIZE.test(trimmed)) return undefined;
  const value = bytes.parse(trimmed);
  return value !== null && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/** Parses `15m`, `30d`, `500ms` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const match = DURATION.exec(trimmed);
  if (!match) return undefined;
  const value = match[2] ? ms(trimmed as ms.StringValue) : Number(match[1]) * 1000;
  return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
}
