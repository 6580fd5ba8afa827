export type ClamdVerdict = { infected: false } | { infected: true; signature: string };

/** clamd could not give a verdict: unreachable, too slow, or it answered with an error. */
export class ClamdError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClamdError';
  }
}

const FOUND = /^stream: (.+) FOUND$/;

/** Reads clamd's answer to INSTREAM: `stream: OK`, `stream: <signature> FOUND` or `… ERROR`. */
export function parseScanReply(raw: string): ClamdVerdict {
  const reply = raw.replace(/\0+$/, '').trim();
  if (reply === 'stream: OK') return { infected: false };
  const found = FOUND.exec(reply);
  if (found) return { infected: true, signature: found[1] };
  if (/size limit exceeded/i.test(reply)) {
    throw new ClamdError(
      `clamd refused the stream as too long (${reply}); raise its StreamMaxLength to at least MAX_FILE_SIZE`,
    );
  }
  throw new ClamdError(`clamd gave no verdict: ${reply === '' ? 'an empty reply' : reply}`);
}
