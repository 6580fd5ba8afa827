import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import type { RawEnvironment } from '@strongroom/config';
import { YOUNG_GENERATION_NODE_OPTIONS } from '../../apps/api/src/runtime/streaming-gc';
import {
  assertTestDatabase,
  compileForChildren,
  createTempDir,
  freeLoopbackPort,
  NginxServer,
  RedisServer,
  ServerProcess,
  testServerUrl,
  uniqueTestDatabaseUrl,
} from '@strongroom/testing';

const REPO_ROOT = path.resolve(__dirname, '../..');
const INSTANCE_READY_TIMEOUT_MS = 60_000;

export interface Instance {
  /** `127.0.0.1:port`, as nginx's X-Upstream names it. */
  address: string;
  logFile: string;
  /** The running process's pid (it changes when the instance is started again). */
  readonly pid: number;
  /** SIGKILL: the process dies mid-request, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** Starts the instance again on the same port and data folder, once killed. */
  start(): Promise<void>;
}

/** Several API processes behind nginx, sharing one database, one storage folder and one Redis. */
export interface ScaledDeployment {
  /** nginx: where clients connect. */
  baseUrl: string;
  instances: Instance[];
  redisUrl: string;
  stop(): Promise<void>;
}

export interface ScaledDeploymentOptions {
  instances: number;
  /** On top of the production settings every instance shares (limits, lockout, admin, …). */
  env?: RawEnvironment;
  /** The MongoDB server for the fresh test database; by default the one the e2e global setup started. */
  mongoServerUrl?: string;
}

/**
 * Scaling out as deploy/README.md describes it, on loopback: Redis (no persistence), N instances
 * of the compiled application (`node apps/api/src/main.js`, ENVIRONMENT=production, the same
 * secrets) on one test database and one FILE_STORAGE_PATH, and nginx balancing them round-robin.
 * Everything started is stopped again on failure and by stop(); the database is dropped.
 */
export async function startScaledDeployment(
  options: ScaledDeploymentOptions,
): Promise<ScaledDeployment> {
  const workDir = await createTempDir('scaled');
  const stoppers: Array<() => Promise<unknown>> = [() => workDir.remove()];
  const stop = async () => {
    for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const mongoUrl = uniqueTestDatabaseUrl(options.mongoServerUrl ?? testServerUrl());
    assertTestDatabase(mongoUrl);
    stoppers.push(() => dropDatabase(mongoUrl));
    const storageDir = path.join(workDir.path, 'uploads');
    await mkdir(storageDir);

    const [redis, compiled] = await Promise.all([
      mkdir(path.join(workDir.path, 'redis')).then(() =>
        RedisServer.start({ workDir: path.join(workDir.path, 'redis') }),
      ),
      compileForChildren(REPO_ROOT, path.join(workDir.path, 'build')),
    ]);
    stoppers.push(() => redis.stop());

    const shared: RawEnvironment = {
      ENVIRONMENT: 'production',
      LOG_LEVEL: 'warn',
      MONGO_URL: mongoUrl,
      SECRET_KEY: randomBytes(48).toString('base64'),
      ENCRYPTION_KEYS: `key1:${randomBytes(32).toString('base64')}`,
      AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
      METRICS_TOKEN: randomBytes(32).toString('hex'),
      ALLOWED_ORIGINS: 'https://files.example.com',
      PUBLIC_URL: 'https://files.example.com',
      STORAGE_DRIVER: 'local',
      FILE_STORAGE_PATH: storageDir,
      REDIS_URL: redis.url,
      NODE_OPTIONS: YOUNG_GENERATION_NODE_OPTIONS,
      ...options.env,
    };
    const { command, args, cwd } = compiled.command('apps/api/src/main.ts');
    const instances = await Promise.all(
      Array.from({ length: options.instances }, async (_, index) => {
        const port = await freeLoopbackPort();
        const dataDir = path.join(workDir.path, `instance-${index + 1}`);
        await mkdir(dataDir);
        const logFile = path.join(workDir.path, `instance-${index + 1}.log`);
        const launch = async () => {
          const server = ServerProcess.spawn({
            name: `strongroom instance ${index + 1}`,
            binary: command,
            args,
            cwd,
            env: { ...shared, PORT: String(port), DATA_DIR: dataDir },
            logFile,
          });
          stoppers.push(() => server.stop());
          await server.waitUntilReady(async () => {
            const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
            return response.ok;
          }, INSTANCE_READY_TIMEOUT_MS);
          return server;
        };
        let server = await launch();
        const kill = async () => {
          process.kill(server.pid, 'SIGKILL');
          await server.stop();
        };
        const start = async () => {
          server = await launch();
        };
        return {
          address: `127.0.0.1:${port}`,
          logFile,
          get pid() {
            return server.pid;
          },
          kill,
          start,
        };
      }),
    );

    const nginx = await NginxServer.startProxy({
      workDir: path.join(workDir.path, 'nginx'),
      upstreams: instances.map((instance) => instance.address),
    });
    stoppers.push(() => nginx.stop());
    return { baseUrl: nginx.baseUrl, instances, redisUrl: redis.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function dropDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
