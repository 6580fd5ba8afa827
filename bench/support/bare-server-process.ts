/**
 * The bare Node baseline (`bare-server.ts`) in a child process, compiled as our server is: the
 * transfer benchmark's busboy upload and plain download, the resumable benchmark's floor.
 */
import path from 'node:path';
import type { CompiledTree } from '@strongroom/testing';
import { spawnReadyChild } from './child-process';
import type { Served } from './our-server';

const READY_TIMEOUT_MS = 180_000;

export async function startBareServer(
  workDir: string,
  serveDir: string,
  compiled: CompiledTree,
  nodeFlags: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Served> {
  const { command, args, cwd } = compiled.command('bench/support/bare-server.ts');
  const { child, ready } = await spawnReadyChild(
    {
      name: 'bare Node server',
      binary: command,
      args: [...nodeFlags, ...args],
      cwd,
      logFile: path.join(workDir, 'bare-server.log'),
      env: { ...env, BENCH_SERVE_DIR: serveDir },
    },
    READY_TIMEOUT_MS,
  );
  return {
    label: 'bare Node (busboy / fs)',
    child,
    pid: ready.pid,
    baseUrl: `http://127.0.0.1:${ready.port}`,
  };
}
