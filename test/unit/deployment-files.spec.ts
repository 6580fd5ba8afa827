import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigValidationError, parseByteSize, parseEnvironment } from '@strongroom/config';
import { YOUNG_GENERATION_NODE_OPTIONS } from '../../apps/api/src/runtime/streaming-gc';

const root = path.resolve(__dirname, '../..');
const repoPath = (relative: string) => path.resolve(root, relative);
const read = (relative: string) => fs.readFileSync(repoPath(relative), 'utf8');

/** The configuration table of the API contract (API.md), copied here so CI needs only this repo. */
const CONTRACT_VARIABLES = [
  'ENVIRONMENT',
  'DATA_DIR',
  'PORT',
  'MONGO_URL',
  'SECRET_KEY',
  'STORAGE_DRIVER',
  'FILE_STORAGE_PATH',
  'MAX_FILE_SIZE',
  'ALLOWED_ORIGINS',
  'PUBLIC_URL',
  'S3_BUCKET',
  'S3_REGION',
  'S3_ENDPOINT',
  'S3_FORCE_PATH_STYLE',
  'GCS_BUCKET',
  'GCS_PROJECT_ID',
  'GCS_API_ENDPOINT',
  'ENCRYPTION_KEYS',
  'REGISTRATION',
  'ALLOWED_EMAIL_DOMAINS',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'ACCESS_TOKEN_TTL',
  'REFRESH_TOKEN_TTL',
  'LINK_DEFAULT_TTL',
  'LINK_MAX_TTL',
  'LINK_REQUIRE_PASSWORD',
  'REDIS_URL',
  'CLAMAV_HOST',
  'CLAMAV_PORT',
  'LOG_LEVEL',
];

/** Operational settings the server supports beyond the contract table. */
const OPERATIONAL_VARIABLES = [
  'TRUST_PROXY',
  'RATE_LIMIT_WINDOW',
  'RATE_LIMIT_MAX',
  'JSON_BODY_LIMIT',
  'HTTP_HEADERS_TIMEOUT',
  'HTTP_IDLE_TIMEOUT',
  'SHUTDOWN_TIMEOUT',
];

type Mapping = Record<string, unknown>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function loadYaml(relative: string): Mapping {
  const document = parseDocument(read(relative), { prettyErrors: true, uniqueKeys: true });
  const problems = [...document.errors, ...document.warnings].map((problem) => problem.message);
  if (problems.length > 0) {
    throw new Error(`${relative} is not clean YAML:\n${problems.join('\n')}`);
  }
  const value: unknown = document.toJS();
  if (!isMapping(value)) throw new Error(`${relative} must hold a mapping at the top level`);
  return value;
}

const workflowFiles = fs.existsSync(repoPath('.github/workflows'))
  ? fs
      .readdirSync(repoPath('.github/workflows'))
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => `.github/workflows/${name}`)
  : [];

const missing = (paths: string[]) => paths.filter((relative) => !fs.existsSync(repoPath(relative)));

function envExample(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of read('.env.example').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) entries.set(match[1], match[2]);
  }
  return entries;
}

describe('docker-compose.yml', () => {
  const compose = () => loadYaml('docker-compose.yml');
  const services = () => {
    const value = compose().services;
    if (!isMapping(value)) throw new Error('docker-compose.yml has no services mapping');
    return value as Record<string, Mapping>;
  };

  const envFiles = (service: Mapping): string[] => {
    const value = service.env_file;
    if (value === undefined) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((entry) => (isMapping(entry) ? String(entry.path) : String(entry)));
  };

  const isHostPath = (source: string) => /^(\.|\/|~)/.test(source);

  /** Host paths the services read: build contexts, Dockerfiles, env files other than .env, bind mounts. */
  const hostPaths = (): string[] => {
    const paths: string[] = [];
    for (const service of Object.values(services())) {
      const build = service.build;
      if (typeof build === 'string') paths.push(build);
      if (isMapping(build)) {
        const context = String(build.context ?? '.');
        paths.push(context);
        if (typeof build.dockerfile === 'string') paths.push(path.join(context, build.dockerfile));
      }
      for (const file of envFiles(service)) {
        if (path.basename(file) !== '.env') paths.push(file);
      }
      for (const volume of (service.volumes as unknown[] | undefined) ?? []) {
        const source = isMapping(volume)
          ? volume.type === 'bind'
            ? String(volume.source)
            : undefined
          : String(volume).split(':')[0];
        if (source !== undefined && isHostPath(source)) paths.push(source);
      }
    }
    return paths;
  };

  it('parses without errors or warnings', () => {
    expect(() => compose()).not.toThrow();
  });

  it.each(['api', 'mongo', 'nginx'])('defines the %s service', (name) => {
    expect(Object.keys(services())).toContain(name);
  });

  it('references only host paths that exist in the repo', () => {
    const absent = missing(hostPaths());
    if (absent.length > 0) {
      throw new Error(
        `docker-compose.yml references paths missing from the repo: ${absent.join(', ')}`,
      );
    }
  });

  it('has a committed .env.example next to every .env env_file', () => {
    const envs = Object.values(services())
      .flatMap(envFiles)
      .filter((file) => path.basename(file) === '.env');
    const absent = missing(envs.map((file) => path.join(path.dirname(file), '.env.example')));
    if (absent.length > 0)
      throw new Error(`env_file .env has no template: missing ${absent.join(', ')}`);
  });

  it('declares every named volume it mounts', () => {
    const declared = Object.keys((compose().volumes as Mapping | null | undefined) ?? {});
    const used = Object.values(services()).flatMap((service) =>
      ((service.volumes as unknown[] | undefined) ?? [])
        .map((volume) =>
          isMapping(volume)
            ? volume.type === 'volume'
              ? String(volume.source)
              : ''
            : String(volume).split(':')[0],
        )
        .filter((source) => source !== '' && !isHostPath(source) && source.includes('/') === false),
    );
    const undeclared = used.filter((name) => !declared.includes(name));
    if (undeclared.length > 0) {
      throw new Error(
        `named volumes used but not declared under top-level volumes: ${undeclared.join(', ')}`,
      );
    }
  });

  it('keeps .env out of git', () => {
    const ignored = read('.gitignore')
      .split('\n')
      .map((line) => line.trim());
    if (!ignored.includes('.env') && !ignored.includes('/.env')) {
      throw new Error('.gitignore must list .env, which holds the real secrets');
    }
  });
});

describe('Dockerfile', () => {
  const instructions = () =>
    read('Dockerfile')
      .replace(/\\\r?\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const [keyword, ...rest] = line.split(/\s+/);
        return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
      });
  const named = (keyword: string) => instructions().filter((entry) => entry.keyword === keyword);

  it('exists', () => {
    if (missing(['Dockerfile']).length > 0)
      throw new Error('Dockerfile is missing from the repo root');
  });

  // V8 sizes its young generation only at start; set at runtime the cap changed nothing and the
  // soak saw each instance's RSS rise by 64 MiB when V8 grew it (apps/api/src/runtime/streaming-gc.ts).
  it('starts the server with the young generation capped, as npm run start:prod does', () => {
    const env = named('ENV')
      .map((entry) => entry.args)
      .join(' ');
    expect(env).toContain(`NODE_OPTIONS=${YOUNG_GENERATION_NODE_OPTIONS}`);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts['start:prod']).toContain(YOUNG_GENERATION_NODE_OPTIONS);
  });

  it('builds every stage on a node:24 base image', () => {
    const froms = named('FROM');
    if (froms.length === 0) throw new Error('Dockerfile has no FROM');
    const stages: string[] = [];
    const offending: string[] = [];
    for (const { args } of froms) {
      const words = args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const image = words[0];
      if (!stages.includes(image) && !/^node:24([.-]|$)/.test(image)) offending.push(image);
      if (words[1]?.toUpperCase() === 'AS' && words[2]) stages.push(words[2]);
    }
    if (offending.length > 0)
      throw new Error(`FROM must use node:24 images, found: ${offending.join(', ')}`);
  });

  it('exposes port 8000', () => {
    const ports = named('EXPOSE').flatMap(({ args }) => args.split(/\s+/));
    if (!ports.some((port) => port.replace(/\/tcp$/, '') === '8000')) {
      throw new Error(`Dockerfile must EXPOSE 8000, exposes: ${ports.join(', ') || 'nothing'}`);
    }
  });

  it('has a HEALTHCHECK', () => {
    const checks = named('HEALTHCHECK');
    if (checks.length === 0 || /^NONE$/i.test(checks[checks.length - 1].args)) {
      throw new Error('Dockerfile must define a HEALTHCHECK');
    }
  });

  it('starts the entry file that `nest build` writes', () => {
    const nestCli = JSON.parse(read('nest-cli.json')) as {
      projects: Record<string, { entryFile: string }>;
    };
    const built = `dist/${nestCli.projects.api.entryFile}.js`;
    const cmd = named('CMD').at(-1)?.args ?? '';
    if (!cmd.includes(`"${built}"`)) {
      throw new Error(`the final CMD must run ${built} (nest build's output), found: ${cmd}`);
    }
  });

  it('runs as a user that is not root', () => {
    const users = named('USER');
    const last = users[users.length - 1]?.args.split(':')[0];
    if (last === undefined || last === 'root' || last === '0') {
      throw new Error(`the final USER must not be root, found: ${last ?? 'no USER instruction'}`);
    }
  });
});

describe('GitHub workflows', () => {
  it('has at least one workflow', () => {
    if (workflowFiles.length === 0) throw new Error('.github/workflows holds no .yml file');
  });

  it.each(workflowFiles)('%s parses without errors or warnings', (file) => {
    expect(() => loadYaml(file)).not.toThrow();
  });

  it('references only files that exist in the repo', () => {
    const fileKeys = [
      'go-version-file',
      'node-version-file',
      'python-version-file',
      'java-version-file',
      'cache-dependency-path',
      'file',
      'context',
    ];
    const referenced: string[] = [];
    for (const workflow of workflowFiles) {
      for (const job of Object.values((loadYaml(workflow).jobs as Record<string, Mapping>) ?? {})) {
        for (const step of (job.steps as Mapping[] | undefined) ?? []) {
          const inputs = isMapping(step.with) ? step.with : {};
          for (const key of fileKeys) {
            if (inputs[key] === undefined) continue;
            for (const value of String(inputs[key])
              .split('\n')
              .map((line) => line.trim())) {
              if (
                value === '' ||
                value.includes('${{') ||
                /[*?[]/.test(value) ||
                /^\w+:\/\//.test(value)
              )
                continue;
              referenced.push(value);
            }
          }
        }
      }
    }
    const absent = missing(referenced);
    if (absent.length > 0)
      throw new Error(`workflows reference files missing from the repo: ${absent.join(', ')}`);
  });

  describe('ci.yml', () => {
    const jobs = () => loadYaml('.github/workflows/ci.yml').jobs as Record<string, Mapping>;
    const steps = (job: string) => (jobs()[job]?.steps as Mapping[] | undefined) ?? [];
    const needs = (job: string) => {
      const value = jobs()[job]?.needs;
      return value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
    };

    it.each(['test', 'image', 'deploy'])('has the %s job', (job) => {
      expect(Object.keys(jobs() ?? {})).toContain(job);
    });

    it('deploys only after the tests pass', () => {
      if (!needs('deploy').includes('test')) {
        throw new Error(
          `jobs.deploy.needs must include test, found: ${needs('deploy').join(', ') || 'nothing'}`,
        );
      }
    });

    it('tests on Node 24', () => {
      const setupNode = steps('test').find((step) =>
        String(step.uses ?? '').startsWith('actions/setup-node@'),
      );
      const version = isMapping(setupNode?.with)
        ? String(setupNode.with['node-version'])
        : undefined;
      if (version === undefined || !/^24(\.|$|\.x$)/.test(version)) {
        throw new Error(
          `the test job must use actions/setup-node with node-version 24, found: ${version ?? 'no setup-node step'}`,
        );
      }
    });

    it.each(['npm ci', 'npm test'])('runs `%s` in the test job', (command) => {
      const runs = steps('test').map((step) => String(step.run ?? ''));
      const pattern = new RegExp(`^\\s*${command.replace(' ', '\\s+')}\\s*$`, 'm');
      if (!runs.some((run) => pattern.test(run)))
        throw new Error(`the test job must run \`${command}\``);
    });
  });
});

describe('.env.example', () => {
  it.each([
    ['contract', CONTRACT_VARIABLES],
    ['operational', OPERATIONAL_VARIABLES],
  ])('lists every %s variable', (_kind, names) => {
    const listed = envExample();
    const absent = names.filter((name) => !listed.has(name));
    if (absent.length > 0) throw new Error(`.env.example does not set: ${absent.join(', ')}`);
  });

  it('is valid for the server except for the secrets left to fill in', () => {
    const raw = Object.fromEntries(envExample());
    let problems: string[] = [];
    try {
      parseEnvironment(raw, {
        version: 'test',
        cwd: root,
        developmentSecrets: () => {
          throw new Error('production must not generate secrets');
        },
      });
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      problems = error.problems;
    }
    const placeholders = ['SECRET_KEY', 'ENCRYPTION_KEYS', 'METRICS_TOKEN', 'AUDIT_SIGNING_KEY'];
    const unexpected = problems.filter(
      (problem) => !placeholders.some((name) => problem.startsWith(`${name}:`)),
    );
    if (unexpected.length > 0)
      throw new Error(`.env.example has invalid values:\n${unexpected.join('\n')}`);
    // A copied template must not start with a publicly known secret.
    const refused = placeholders.filter((name) =>
      problems.some((problem) => problem.startsWith(`${name}:`)),
    );
    expect(refused).toEqual(placeholders);
  });
});

describe('deploy/nginx/nginx.conf', () => {
  const conf = () =>
    read('deploy/nginx/nginx.conf')
      .split('\n')
      .map((line) => line.replace(/(^|\s)#.*$/, ''))
      .join('\n');

  it('sets client_max_body_size', () => {
    if (!/^\s*client_max_body_size\s+\S+;/m.test(conf())) {
      throw new Error('nginx.conf must set client_max_body_size (slightly above MAX_FILE_SIZE)');
    }
  });

  it('lets uploads over MAX_FILE_SIZE reach the app, which answers with its JSON 413', () => {
    const limit = /^\s*client_max_body_size\s+(\d+)([kmg]?);/im.exec(conf());
    if (!limit) throw new Error('nginx.conf has no client_max_body_size');
    const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
      limit[2].toLowerCase() as '' | 'k' | 'm' | 'g'
    ];
    const nginxLimit = Number(limit[1]) * unit;
    const appLimit = parseByteSize(envExample().get('MAX_FILE_SIZE') || '50MB');
    if (appLimit === undefined || !(nginxLimit > appLimit)) {
      throw new Error(
        `client_max_body_size (${nginxLimit} bytes) must be above MAX_FILE_SIZE (${appLimit} bytes)`,
      );
    }
  });

  it('streams request bodies to the app (proxy_request_buffering off)', () => {
    if (!/^\s*proxy_request_buffering\s+off;/m.test(conf())) {
      throw new Error('nginx.conf must set proxy_request_buffering off for uploads');
    }
  });

  it('never takes an instance out of rotation for a slow answer (max_fails=0)', () => {
    const servers = [...conf().matchAll(/^\s*server\s+(\S+)([^;]*);/gm)].filter(([, address]) =>
      address.includes(':'),
    );
    expect(servers.length).toBeGreaterThan(0);
    for (const [line, , parameters] of servers) {
      if (!/\bmax_fails=0\b/.test(parameters)) {
        throw new Error(`nginx.conf upstream "${line.trim()}" must set max_fails=0`);
      }
    }
  });

  it('sends Strict-Transport-Security', () => {
    if (!/^\s*add_header\s+Strict-Transport-Security\s/m.test(conf())) {
      throw new Error('nginx.conf must add a Strict-Transport-Security header');
    }
  });
});
