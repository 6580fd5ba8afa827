import pino from 'pino';
import type { HttpLogger } from 'pino-http';
import { REQUEST_LOGGER } from '@strongroom/logging';
import type { TestApp } from './test-app';

export interface CapturedLogs {
  /** The request log lines written so far, parsed. */
  lines(): Array<Record<string, unknown>>;
  restore(): void;
}

/**
 * Takes over the request logger's output (and keeps it off the console): every request line,
 * whichever middleware logged it, goes through the root logger's one stream.
 */
export function captureRequestLogs(t: TestApp): CapturedLogs {
  const logger = t.app.get<HttpLogger>(REQUEST_LOGGER).logger;
  const stream = (logger as unknown as Record<symbol, { write(line: string): unknown }>)[
    pino.symbols.streamSym
  ];
  const written: string[] = [];
  const spy = jest.spyOn(stream, 'write').mockImplementation((line: string) => {
    written.push(line);
    return true;
  });
  return {
    lines: () =>
      written
        .flatMap((chunk) => chunk.split('\n'))
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}
