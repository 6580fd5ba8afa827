/**
 * nginx as a download baseline: a child with a generated configuration serving one folder on
 * 127.0.0.1 with `sendfile on`, in the foreground (`daemon off`), its pid file, error and access
 * logs and temp folders all in its own work folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findNginx, freeLoopbackPort, nginxConfig, type ServerProcess } from '@strongroom/testing';
import { spawnBenchChild } from './child-process';

const READY_TIMEOUT_MS = 20_000;

export interface Nginx {
  child: ServerProcess;
  baseUrl: string;
  version: string;
}

export { findNginx };

/** `nginx/1.22.1`: nginx prints `nginx version: …` on stderr. */
function nginxVersion(binary: string): string {
  const { stdout, stderr } = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  const match = /nginx\/\S+/.exec(`${stderr ?? ''}${stdout ?? ''}`);
  return match?.[0] ?? 'nginx';
}

function config(workDir: string, root: string, port: number): string {
  return nginxConfig(
    workDir,
    `  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:${port};
    root ${JSON.stringify(root)};
    location / { }
  }`,
  );
}

/** Starts nginx serving `root`; fails with its error log's tail if it does not come up. */
export async function startNginx(binary: string, workDir: string, root: string): Promise<Nginx> {
  await mkdir(workDir, { recursive: true });
  const port = await freeLoopbackPort();
  const configFile = path.join(workDir, 'nginx.conf');
  await writeFile(configFile, config(workDir, root, port));
  const child = spawnBenchChild({
    name: 'nginx',
    binary,
    args: ['-p', workDir, '-c', configFile, '-e', path.join(workDir, 'error.log')],
    logFile: path.join(workDir, 'error.log'),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await child.waitUntilReady(async () => {
    const response = await fetch(`${baseUrl}/`);
    await response.arrayBuffer();
    return true; // any answer (403 for the folder itself) means it listens
  }, READY_TIMEOUT_MS);
  return { child, baseUrl, version: nginxVersion(binary) };
}
