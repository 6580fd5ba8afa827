import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { freeLoopbackPort, LOOPBACK, ServerProcess } from './server-process';

const READY_TIMEOUT_MS = 15_000;
const SEARCH_PATH = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];

/** The nginx binary on PATH or in the usual sbin folders, or undefined. */
export function findNginx(): string | undefined {
  const onPath = (process.env.PATH ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d));
  return [...onPath, ...SEARCH_PATH]
    .map((folder) => path.join(folder, 'nginx'))
    .find((file) => existsSync(file));
}

/**
 * A whole nginx.conf around `http` (the body of the http block) that runs in the foreground with
 * its pid file, logs and temp folders in `workDir`, so it needs nothing under /var, even as root.
 */
export function nginxConfig(workDir: string, http: string): string {
  const at = (name: string) => JSON.stringify(path.join(workDir, name));
  // As root, the master would switch its workers to an unprivileged user that cannot read a
  // private temp folder; keep them as this process's own user instead.
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
${http}
}
`;
}

export interface NginxProxyOptions {
  workDir: string;
  /** `host:port` of each instance; nginx sends requests to them in turn (round-robin). */
  upstreams: string[];
}

/**
 * nginx on a free loopback port as a round-robin load balancer in front of several instances, set
 * up as deploy/nginx/nginx.conf is: streaming bodies, X-Forwarded-For. Each response names the
 * instance that answered in `X-Upstream`, so tests can tell them apart.
 */
export class NginxServer {
  private constructor(
    private readonly process: ServerProcess,
    readonly baseUrl: string,
  ) {}

  static async startProxy(options: NginxProxyOptions): Promise<NginxServer> {
    const binary = findNginx();
    if (!binary) throw new Error('nginx is missing: install the Debian package nginx');
    await mkdir(options.workDir, { recursive: true });
    const port = await freeLoopbackPort();
    const configFile = path.join(options.workDir, 'nginx.conf');
    await writeFile(configFile, nginxConfig(options.workDir, proxyHttpBlock(port, options)));
    const server = ServerProcess.spawn({
      name: 'nginx',
      binary,
      args: [
        '-p',
        options.workDir,
        '-c',
        configFile,
        '-e',
        path.join(options.workDir, 'error.log'),
      ],
      logFile: path.join(options.workDir, 'nginx.out'),
    });
    const baseUrl = `http://${LOOPBACK}:${port}`;
    await server.waitUntilReady(async () => {
      const response = await fetch(`${baseUrl}/nginx-ready`);
      return response.status === 204;
    }, READY_TIMEOUT_MS);
    return new NginxServer(server, baseUrl);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

/** The locations deploy/nginx/nginx.conf gives an hour instead of the default 60 s. */
export const LONG_ROUTES = [
  '/api/v1/files',
  '/api/v1/uploads',
  '~ ^(/api/v1/public/upload-requests/[^/]+/files|/r/[^/]+)$',
  '~ ^/api/v1/public/links/[^/]+/content$',
];

function proxyHttpBlock(port: number, options: NginxProxyOptions): string {
  const servers = options.upstreams
    .map((address) => `    server ${address} max_fails=0;`)
    .join('\n');
  return `  upstream strongroom_api {
${servers}
    keepalive 16;
  }
  server {
    listen ${LOOPBACK}:${port};
    client_max_body_size 64m;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_request_buffering off;
    proxy_buffering off;
    # A failed instance is the test's finding, not something to hide by retrying the other one.
    proxy_next_upstream off;
    add_header X-Upstream $upstream_addr always;
    location = /nginx-ready { return 204; }
    location / { proxy_pass http://strongroom_api; }
    # As deploy/nginx/nginx.conf: the routes that move files wait an hour for the instance, not
    # 60 s. Under the soak's load, uploads, links and shares slower than a minute were 504s here
    # that production's proxy would have waited for, and each 504 took its instance out of the
    # rotation for 10 s (max_fails=1, now 0 as deployed), doubling the other's load.
${LONG_ROUTES.map((route) => `    location ${route} { proxy_read_timeout 1h; proxy_send_timeout 1h; proxy_pass http://strongroom_api; }`).join('\n')}
  }`;
}
