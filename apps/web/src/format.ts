import { locale, messages } from './messages';

/** Bytes in binary multiples, as the server counts MAX_FILE_SIZE and quotas. */
export function formatBytes(bytes: number): string {
  const units = messages.units;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

/** In the person's own locale and time zone (the browser's). */
export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

const timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });

export function formatTime(epochMs: number): string {
  return timeFormat.format(new Date(epochMs));
}

export function formatDuration(seconds: number): string {
  return messages.duration(seconds);
}
