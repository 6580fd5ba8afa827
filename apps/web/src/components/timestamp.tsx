import { formatDate } from '../format';

/** A moment as the reader's locale writes it, with the exact time for machines. */
export function Timestamp({ at }: { at: string }) {
  return <time dateTime={at}>{formatDate(at)}</time>;
}
