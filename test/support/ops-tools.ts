/**
 * The tools that check deploy/ offline (test/unit/ops-config.spec.ts): promtool (Prometheus
 * configuration, rules and rule unit tests), kubeconform (Kubernetes manifests against JSON
 * schemas), kubectl (renders the kustomize overlays) and the Kubernetes JSON schemas themselves.
 *
 * `npm run ops-tools:build` (scripts/build-ops-tools.mjs) prepares them once per machine, from the
 * package registries only: promtool and kubeconform with `go install` from the Go module proxy
 * (ensureGoTool), the schemas from the PyPI package kubernetes-validate. The tests only look them
 * up (findOpsTools) and never download anything.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, accessSync, existsSync, promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { runCommand, strongroomCacheDir } from '@strongroom/embedded-db';
import { ensureGoTool, goToolPath as cachedGoToolPath } from '@strongroom/testing';

export interface GoToolSpec {
  name: string;
  packagePath: string;
  version: string;
  /** Go build tags (`go install -tags`). */
  buildTags?: string[];
}

/**
 * Prometheus v3.16.0 (its Go module versions are v0.3xx.y for Prometheus 3.xx.y), with only the
 * service discoveries deploy/prometheus uses (file and HTTP are always in): leaving out the cloud
 * SDKs cuts a cold build on 2 cores from about 28 to about 10 minutes.
 */
export const PROMTOOL: GoToolSpec = {
  name: 'promtool',
  packagePath: 'github.com/prometheus/prometheus/cmd/promtool',
  version: 'v0.316.0',
  buildTags: ['remove_all_sd', 'enable_dns_sd', 'enable_kubernetes_sd'],
};

export const KUBECONFORM: GoToolSpec = {
  name: 'kubeconform',
  packagePath: 'github.com/yannh/kubeconform/cmd/kubeconform',
  version: 'v0.8.0',
};

/**
 * The JSON schemas of the Kubernetes API, as the PyPI package kubernetes-validate ships them
 * (generated from each release's OpenAPI document), pinned by hash. Its schemas point into a shared
 * _definitions.json by absolute path, which kubeconform cannot follow; the build rewrites each
 * one into a standalone schema, in kubeconform's folder layout.
 */
export const K8S_SCHEMAS = {
  package: 'kubernetes-validate',
  version: '1.37.0',
  sha256: '85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9',
  /** The Kubernetes versions the manifests are validated against: an older and the newest. */
  kubernetesVersions: ['1.33.0', '1.37.0'],
};

export interface OpsTools {
  promtool?: string;
  kubeconform?: string;
  kubectl?: string;
  /** kubeconform's -schema-location template for the offline schemas. */
  schemaLocation?: string;
}

type Log = (msg: string) => void;

export function goToolPath(tool: GoToolSpec): string {
  return cachedGoToolPath(tool.name, tool.packagePath, tool.version);
}

function schemaRoot(): string {
  return strongroomCacheDir('k8s-schemas', `${K8S_SCHEMAS.package}-${K8S_SCHEMAS.version}`);
}

const SCHEMAS_COMPLETE = '.complete';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** An executable on PATH, or undefined. */
export function onPath(command: string): string | undefined {
  // eslint-disable-next-line no-restricted-properties -- test tooling, not application config
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return dirs.map((dir) => path.join(dir, command)).find(isExecutable);
}

/** The tools that are ready, without building or downloading anything. */
export function findOpsTools(): OpsTools {
  const root = schemaRoot();
  return {
    promtool: isExecutable(goToolPath(PROMTOOL)) ? goToolPath(PROMTOOL) : undefined,
    kubeconform: isExecutable(goToolPath(KUBECONFORM)) ? goToolPath(KUBECONFORM) : undefined,
    kubectl: onPath('kubectl'),
    schemaLocation: existsSync(path.join(root, SCHEMAS_COMPLETE))
      ? path.join(root, '{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}') +
        '/{{ .ResourceKind }}{{ .KindSuffix }}.json'
      : undefined,
  };
}

/** Builds or downloads whatever findOpsTools does not find; fails when something cannot be had. */
export async function ensureOpsTools(log: Log = (msg) => process.stderr.write(`${msg}\n`)) {
  // One after the other: each `go install` already uses every core.
  await installGoTool(PROMTOOL, log);
  await installGoTool(KUBECONFORM, log);
  await ensureK8sSchemas(log);
  const tools = findOpsTools();
  if (!tools.kubectl) {
    throw new Error(
      'kubectl was not found on PATH: it renders the kustomize overlays in deploy/k8s ' +
        '(`kubectl kustomize`, kustomize v5). Install kubectl 1.27 or later: the machine image ' +
        "has it from the Google Cloud CLI's apt repository (package kubectl); Debian's " +
        'kubernetes-client 1.20 is too old.',
    );
  }
  return tools;
}

function installGoTool(tool: GoToolSpec, log: Log): Promise<string> {
  return ensureGoTool(tool.name, tool.packagePath, tool.version, {
    log,
    buildTags: tool.buildTags,
  });
}

async function ensureK8sSchemas(log: Log): Promise<void> {
  const root = schemaRoot();
  if (existsSync(path.join(root, SCHEMAS_COMPLETE))) return;
  const python = onPath('python3');
  if (!python) throw new Error('python3 (with pip) is needed to fetch the Kubernetes JSON schemas');

  const work = `${root}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  await fs.mkdir(work, { recursive: true });
  try {
    const started = Date.now();
    log(`downloading ${K8S_SCHEMAS.package} ${K8S_SCHEMAS.version} (Kubernetes JSON schemas)…`);
    const requirements = path.join(work, 'requirements.txt');
    await fs.writeFile(
      requirements,
      `${K8S_SCHEMAS.package}==${K8S_SCHEMAS.version} --hash=sha256:${K8S_SCHEMAS.sha256}\n`,
    );
    await runCommand(python, [
      '-m',
      'pip',
      'download',
      '--quiet',
      '--no-deps',
      '--only-binary=:all:',
      '--require-hashes',
      '--disable-pip-version-check',
      '-r',
      requirements,
      '-d',
      path.join(work, 'wheel'),
    ]);
    const [wheel] = await fs.readdir(path.join(work, 'wheel'));
    const extracted = path.join(work, 'extracted');
    const prefixes = K8S_SCHEMAS.kubernetesVersions.map(
      (version) => `kubernetes_validate/kubernetes-json-schema/v${version}-local-strict/`,
    );
    // The wheel is a zip: Python's zipfile extracts just the folders needed.
    await runCommand(python, [
      '-c',
      'import json, sys, zipfile\n' +
        'z = zipfile.ZipFile(sys.argv[1])\n' +
        'prefixes = tuple(json.loads(sys.argv[3]))\n' +
        'z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith(prefixes)])\n',
      path.join(work, 'wheel', wheel),
      extracted,
      JSON.stringify(prefixes),
    ]);
    const output = path.join(work, 'schemas');
    for (const [index, version] of K8S_SCHEMAS.kubernetesVersions.entries()) {
      const count = await writeStandaloneSchemas(
        path.join(extracted, prefixes[index]),
        path.join(output, `v${version}-standalone-strict`),
      );
      log(`  Kubernetes ${version}: ${count} schemas`);
    }
    await fs.writeFile(path.join(output, SCHEMAS_COMPLETE), `${new Date().toISOString()}\n`);
    await fs.rm(root, { recursive: true, force: true });
    await fs.mkdir(path.dirname(root), { recursive: true });
    await fs.rename(output, root);
    log(`Kubernetes JSON schemas ready in ${Math.round((Date.now() - started) / 1000)} s: ${root}`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SHARED_REF = /^\/api\/_definitions\.json#\/\$defs\/(.+)$/;
const LOCAL_REF = /^#\/\$defs\/(.+)$/;

/** Rewrites every schema of one folder to carry the definitions it uses; returns how many. */
async function writeStandaloneSchemas(source: string, target: string): Promise<number> {
  const shared = JSON.parse(await fs.readFile(path.join(source, '_definitions.json'), 'utf8')) as {
    $defs: Record<string, Json>;
  };
  await fs.mkdir(target, { recursive: true });
  const names = (await fs.readdir(source)).filter(
    (name) => name.endsWith('.json') && name !== '_definitions.json',
  );
  for (const name of names) {
    const schema = JSON.parse(await fs.readFile(path.join(source, name), 'utf8')) as Json;
    const needed = new Set<string>();
    const pending: Json[] = [];
    const rewrite = (node: Json): Json => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      const copy: { [key: string]: Json } = {};
      for (const [key, value] of Object.entries(node)) {
        const ref = key === '$ref' && typeof value === 'string' ? SHARED_REF.exec(value) : null;
        copy[key] = ref ? `#/$defs/${ref[1]}` : rewrite(value);
      }
      return copy;
    };
    const collect = (node: Json): void => {
      if (Array.isArray(node)) return node.forEach(collect);
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const ref = SHARED_REF.exec(value) ?? LOCAL_REF.exec(value);
          if (ref && !needed.has(ref[1])) {
            if (!(ref[1] in shared.$defs)) throw new Error(`${name}: unknown reference ${value}`);
            needed.add(ref[1]);
            pending.push(shared.$defs[ref[1]]);
          }
        } else {
          collect(value);
        }
      }
    };
    collect(schema);
    while (pending.length > 0) collect(pending.pop() as Json);
    const $defs = Object.fromEntries([...needed].sort().map((key) => [key, shared.$defs[key]]));
    const standalone = rewrite(schema) as { [key: string]: Json };
    await fs.writeFile(path.join(target, name), JSON.stringify({ ...standalone, $defs }));
  }
  return names.length;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool synchronously from the repository root, for the tests. */
export function runTool(command: string, args: string[], input?: string): RunResult {
  const result = spawnSync(command, args, {
    cwd: path.resolve(__dirname, '../..'),
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
