import { HttpException } from '@nestjs/common';
import { CommandFactory } from 'nest-commander';
import { type AppConfig, loadConfig } from '@strongroom/config';
import { openCliDatabase } from './cli-database';
import { CliModule } from './cli.module';

const printError = (message: string) => process.stderr.write(`${message}\n`);

interface CommanderExit {
  code: string;
  exitCode: number;
}

/** commander has already printed the help or the usage error; only its exit code is left. */
function isCommanderExit(error: unknown): error is CommanderExit {
  const { code, exitCode } = (error ?? {}) as Partial<CommanderExit>;
  return typeof code === 'string' && code.startsWith('commander.') && typeof exitCode === 'number';
}

function describeError(error: unknown): string {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    const message =
      typeof response === 'string' ? response : (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return error instanceof Error ? error.message : String(error);
}

function report(error: unknown): number {
  if (isCommanderExit(error)) return error.exitCode;
  printError(`error: ${describeError(error)}`);
  return 1;
}

async function main(): Promise<number> {
  const loaded = loadConfig();
  const database = await openCliDatabase(loaded, printError);
  let exitCode = 0;
  try {
    const config: AppConfig = {
      ...loaded,
      database: { ...loaded.database, url: database.url },
      // ADMIN_EMAIL/ADMIN_PASSWORD are the server's start-up job; here they could only get in the way.
      auth: { ...loaded.auth, admin: undefined },
    };
    await CommandFactory.run(CliModule.forRoot(config), {
      // Errors only: a closing connection reports itself as "lost" at warn level, which is noise here.
      logger: ['error'],
      abortOnError: false,
      version: loaded.version,
      serviceErrorHandler: (error) => {
        exitCode = report(error);
      },
    });
  } finally {
    await database.close();
  }
  return exitCode;
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => process.exit(report(error)),
);
