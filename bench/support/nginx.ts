/**
 * nginx as a download baseline: a child with a generated configuration serving one folder on
 * 127.0.0.1 with `sendfile on`, in the foreground (`daemon off`), its pid file, error and access
 * logs and temp folders all in its own work folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freeLoopbackPort } from '@strongroom/testing';
import { BenchChild } from './child-process';

const READY_TIMEOUT_MS = 20_000;
const SEARCH_PATH = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];

export interface Nginx {
  child: BenchChild;
  baseUrl: string;
  version: string;
}

/** The nginx binary on PATH or in the usual sbin folders, or undefined. */
export function findNginx(): string | undefined {
  // eslint-disable-next-line no-restricted-properties -- locating a tool on PATH
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d));
  return [...onPath, ...SEARCH_PATH]
    .map((folder) => path.join(folder, 'nginx'))
    .find((file) => existsSync(file));
}

/** `nginx/1.22.1`: nginx prints `nginx version: …` on stderr. */
function nginxVersion(binary: string): string {
  const { stdout, stderr } = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  const match = /nginx\/\S+/.exec(`${stderr ?? ''}${stdout ?? ''}`);
  return match?.[0] ?? 'nginx';
}

function config(workDir: string, root: string, port: number): string {
  const at = (name: string) => JSON.stringify(path.join(workDir, name));
  // As root, the master would switch its workers to an unprivileged user that cannot read the
  // benchmark's private temp folder; keep them as the benchmark's own user instead.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  return `${user}daemon off;
worker_processes 1;
pid ${at('nginx.pid')};
error_log ${at('error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${at('access.log')};
  client_body_temp_path ${at('client_body')};
  proxy_temp_path ${at('proxy')};
  fastcgi_temp_path ${at('fastcgi')};
  uwsgi_temp_path ${at('uwsgi')};
  scgi_temp_path ${at('scgi')};
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:${port};
    root ${JSON.stringify(root)};
    location / { }
  }
}
`;
}

/** Starts nginx serving `root`; fails with its error log's tail if it does not come up. */
export async function startNginx(binary: string, workDir: string, root: string): Promise<Nginx> {
  await mkdir(workDir, { recursive: true });
  const port = await freeLoopbackPort();
  const configFile = path.join(workDir, 'nginx.conf');
  await writeFile(configFile, config(workDir, root, port));
  const child = BenchChild.spawn({
    name: 'nginx',
    command: binary,
    args: ['-p', workDir, '-c', configFile, '-e', path.join(workDir, 'error.log')],
    logFile: path.join(workDir, 'error.log'),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await child.waitUntil(async () => {
    const response = await fetch(`${baseUrl}/`);
    await response.arrayBuffer();
    return true; // any answer (403 for the folder itself) means it listens
  }, READY_TIMEOUT_MS);
  return { child, baseUrl, version: nginxVersion(binary) };
}
