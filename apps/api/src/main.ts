import { ConfigValidationError } from '@strongroom/config';
import { bootstrap } from './bootstrap';

bootstrap().catch((error: unknown) => {
  // Configuration problems are the operator's to fix: print them plainly, without a stack.
  const message = error instanceof ConfigValidationError ? error.message : (error as Error).stack;
  process.stderr.write(`Strongroom failed to start.\n${message}\n`);
  process.exit(1);
});
