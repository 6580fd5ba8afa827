import type { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';

export interface ShutdownOptions {
  timeoutMs: number;
  logger: LoggerService;
  /** Runs after the application closed, e.g. stopping the embedded database. */
  afterClose?: () => Promise<void>;
}

/**
 * On SIGTERM or SIGINT: stop accepting, let in-flight requests finish for up to `timeoutMs`, then
 * cut what remains, close the application (database connection included) and exit.
 */
export function installGracefulShutdown(app: INestApplication, options: ShutdownOptions): void {
  let shuttingDown = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    options.logger.log(
      `${signal} received: draining in-flight requests (up to ${options.timeoutMs} ms)`,
    );
    const server = app.getHttpServer() as Server;
    const deadline = setTimeout(() => {
      options.logger.warn('drain timeout reached: closing the remaining connections');
      server.closeAllConnections();
    }, options.timeoutMs);
    deadline.unref();
    let exitCode = 0;
    try {
      await app.close();
      await options.afterClose?.();
    } catch (error) {
      options.logger.error(`shutdown failed: ${(error as Error).message}`);
      exitCode = 1;
    } finally {
      clearTimeout(deadline);
    }
    options.logger.log('shutdown complete');
    process.exit(exitCode);
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}
