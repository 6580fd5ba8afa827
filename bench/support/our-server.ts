/**
 * Our server for a benchmark: the real application in a child process (`serve-app.ts`), compiled
 * as in production and started with production's Node options, on its own test database, with a
 * fresh account signed in.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { CompiledTree, ServerProcess } from '@strongroom/testing';
import { YOUNG_GENERATION_NODE_OPTIONS } from '../../apps/api/src/runtime/streaming-gc';
import { spawnReadyChild } from './child-process';
import { registerAndLogin } from './strongroom-api';

const READY_TIMEOUT_MS = 180_000;

export interface Served {
  label: string;
  child: ServerProcess;
  /** The pid whose RSS is watched (the child reports its own). */
  pid: number;
  baseUrl: string;
}

export interface OurServer extends Served {
  authorization: string;
}

export async function startOurServer(
  label: string,
  workDir: string,
  mongoUrl: string,
  env: NodeJS.ProcessEnv,
  compiled: CompiledTree,
  nodeFlags: readonly string[],
  appArgs: readonly string[] = [],
): Promise<OurServer> {
  await mkdir(workDir, { recursive: true });
  const { command, args, cwd } = compiled.command('bench/support/serve-app.ts');
  const { child, ready } = await spawnReadyChild(
    {
      name: `strongroom (${label})`,
      binary: command,
      args: [...nodeFlags, ...args, ...appArgs],
      cwd,
      logFile: path.join(workDir, 'server.log'),
      env: {
        ENVIRONMENT: 'test',
        LOG_LEVEL: 'error',
        MONGO_URL: mongoUrl,
        DATA_DIR: workDir,
        MAX_FILE_SIZE: '2GB',
        RATE_LIMIT_MAX: '1000000',
        AUTH_RATE_LIMIT_MAX: '1000000',
        ACCESS_TOKEN_TTL: '24h',
        // As production starts it (the image, `start:prod`): its memory is what is measured.
        NODE_OPTIONS: YOUNG_GENERATION_NODE_OPTIONS,
        ...env,
      },
    },
    READY_TIMEOUT_MS,
  );
  const baseUrl = `http://127.0.0.1:${ready.port}`;
  try {
    const authorization = await registerAndLogin(baseUrl, label.replace(/\W+/g, '-'));
    return { label: `strongroom (${label})`, child, pid: ready.pid, baseUrl, authorization };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
