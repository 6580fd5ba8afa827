/**
 * Checks the operations files under deploy/ offline: the Prometheus configuration, alerting rules
 * and their unit tests with promtool; the Kubernetes overlays rendered with `kubectl kustomize` and
 * validated by kubeconform against the Kubernetes JSON schemas; the compose monitoring profile; the
 * Grafana provisioning and dashboard.
 *
 * The tools come from `npm run ops-tools:build` (test/support/ops-tools.ts). Outside CI a missing
 * tool skips its checks with a message; in CI (CI set) it fails them, since `npm test` builds them first.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import {
  ConfigValidationError,
  parseByteSize,
  parseEnvironment,
  type RawEnvironment,
} from '@strongroom/config';
import { findOpsTools, K8S_SCHEMAS, type OpsTools, runTool } from '../support/ops-tools';

const root = path.resolve(__dirname, '../..');
const repoPath = (relative: string) => path.join(root, relative);
const read = (relative: string) => fs.readFileSync(repoPath(relative), 'utf8');

// Parsed YAML and JSON, walked by the assertions below, which fail on any unexpected shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mapping = Record<string, any>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function loadYaml(relative: string): any {
  const document = parseDocument(read(relative), { prettyErrors: true, uniqueKeys: true });
  const problems = [...document.errors, ...document.warnings].map((problem) => problem.message);
  if (problems.length > 0)
    throw new Error(`${relative} is not clean YAML:\n${problems.join('\n')}`);
  return document.toJS();
}

// ---------------------------------------------------------------------------------------------
// Tools: skipped outside CI when missing, a failure in CI.

const CI = ['1', 'true', 'yes'].includes(String(process.env.CI ?? '').toLowerCase());
const tools = findOpsTools();
const BUILD_HINT = 'run `npm run ops-tools:build` (`npm test` does it before the tests)';

function describeWithTools(title: string, needed: (keyof OpsTools)[], body: () => void): void {
  const missing = needed.filter((name) => tools[name] === undefined);
  if (missing.length === 0) return describe(title, body);
  const what = missing.map((name) =>
    name === 'schemaLocation' ? 'Kubernetes JSON schemas' : name,
  );
  if (CI) {
    return describe(title, () => {
      it('has its tools', () => {
        throw new Error(
          `${what.join(', ')} not found, and CI must not skip these checks: ${BUILD_HINT}`,
        );
      });
    });
  }
  console.warn(`ops-config.spec: SKIPPING "${title}": ${what.join(', ')} not found; ${BUILD_HINT}`);
  describe.skip(`${title} (skipped: ${what.join(', ')} not found)`, body);
}

// ---------------------------------------------------------------------------------------------
// The metrics the app exports, and a PromQL scan for the metric names an expression reads.

/** Strongroom's own metrics (libs/metrics, libs/files/src/file-metrics.ts, libs/audit, storage,
 * libs/scanning, libs/notifications). */
const APP_METRICS: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  http_request_duration_seconds: 'histogram',
  security_events_total: 'counter',
  storage_upload_bytes_total: 'counter',
  storage_download_bytes_total: 'counter',
  storage_upload_duration_seconds: 'histogram',
  storage_download_duration_seconds: 'histogram',
  storage_errors_total: 'counter',
  storage_temporaries_swept_total: 'counter',
  strongroom_stored_bytes: 'gauge',
  strongroom_stored_files: 'gauge',
  virus_scan_verdicts_total: 'counter',
  virus_scan_verdict_duration_seconds: 'histogram',
  strongroom_outbox_deliveries_total: 'counter',
  strongroom_outbox_pending: 'gauge',
  strongroom_outbox_oldest_pending_age_seconds: 'gauge',
  audit_checkpoint_age_seconds: 'gauge',
};
/** Named in the rules ahead of the code that exports them. */
const UPCOMING_APP_METRICS = new Set(['storage_errors_total']);

/** prom-client's default metrics (collectDefaultMetrics, prom-client 15) and Prometheus's own `up`. */
const STANDARD_METRICS: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  up: 'gauge',
  process_cpu_user_seconds_total: 'counter',
  process_cpu_system_seconds_total: 'counter',
  process_cpu_seconds_total: 'counter',
  process_start_time_seconds: 'gauge',
  process_resident_memory_bytes: 'gauge',
  process_virtual_memory_bytes: 'gauge',
  process_heap_bytes: 'gauge',
  process_open_fds: 'gauge',
  process_max_fds: 'gauge',
  nodejs_eventloop_lag_seconds: 'gauge',
  nodejs_eventloop_lag_min_seconds: 'gauge',
  nodejs_eventloop_lag_max_seconds: 'gauge',
  nodejs_eventloop_lag_mean_seconds: 'gauge',
  nodejs_eventloop_lag_stddev_seconds: 'gauge',
  nodejs_eventloop_lag_p50_seconds: 'gauge',
  nodejs_eventloop_lag_p90_seconds: 'gauge',
  nodejs_eventloop_lag_p99_seconds: 'gauge',
  nodejs_active_resources: 'gauge',
  nodejs_active_resources_total: 'gauge',
  nodejs_active_handles: 'gauge',
  nodejs_active_handles_total: 'gauge',
  nodejs_active_requests: 'gauge',
  nodejs_active_requests_total: 'gauge',
  nodejs_heap_size_total_bytes: 'gauge',
  nodejs_heap_size_used_bytes: 'gauge',
  nodejs_external_memory_bytes: 'gauge',
  nodejs_heap_space_size_total_bytes: 'gauge',
  nodejs_heap_space_size_used_bytes: 'gauge',
  nodejs_heap_space_size_available_bytes: 'gauge',
  nodejs_version_info: 'gauge',
  nodejs_gc_duration_seconds: 'histogram',
};

/** The kubelet's volume metrics, read by the one alert that watches the uploads volume. */
const KUBELET_METRICS = [
  'kubelet_volume_stats_available_bytes',
  'kubelet_volume_stats_capacity_bytes',
];

function seriesNames(metrics: Record<string, string>): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of Object.entries(metrics)) {
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_count', '_sum']) names.add(name + suffix);
    else names.add(name);
  }
  return names;
}
const EXPORTED_SERIES = new Set([...seriesNames(APP_METRICS), ...seriesNames(STANDARD_METRICS)]);

const PROMQL_KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/** Grafana's variables, replaced by what they stand for at query time. */
function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}

/** The metric names a PromQL expression reads: its words outside strings, label matchers and
 * ranges that are neither functions nor keywords. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const after = stripped.slice((match.index ?? 0) + word.length).trimStart();
    if (after.startsWith('(') || PROMQL_KEYWORDS.has(word.toLowerCase())) continue;
    if (/^\d/.test(stripped[(match.index ?? 1) - 1] ?? '')) continue; // the unit of a number: 1e9
    names.add(word);
  }
  return [...names];
}

describe('the PromQL scan', () => {
  it('finds the metrics and only the metrics', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{route!~"/a|b", status=~"5.."}[5m]))) > 2 and on (job) up offset 15m',
      ).sort(),
    ).toEqual(['http_request_duration_seconds_bucket', 'up']);
    expect(metricNames('max(strongroom_stored_bytes) > 1e9 unless absent(x_total)')).toEqual([
      'strongroom_stored_bytes',
      'x_total',
    ]);
  });
});

describe('the app metrics the rules and dashboards rely on', () => {
  const sources = (dir: string): string[] =>
    fs
      .readdirSync(repoPath(dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
      .map((file) => fs.readFileSync(path.join(repoPath(dir), file), 'utf8'));

  it.each(Object.keys(APP_METRICS).filter((name) => !UPCOMING_APP_METRICS.has(name)))(
    '%s is defined in libs/',
    (name) => {
      if (!sources('libs').some((source) => source.includes(`'${name}'`))) {
        throw new Error(
          `no metric named ${name} in libs/: update APP_METRICS and deploy/ together`,
        );
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Prometheus

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const alertRules = (): AlertRule[] =>
  (loadYaml('deploy/prometheus/alerts.yml').groups as { rules: AlertRule[] }[]).flatMap(
    (group) => group.rules,
  );

/** The alerts the runbooks in deploy/README.md promise. */
const REQUIRED_ALERTS = [
  'StrongroomTargetDown',
  'StrongroomNoTargets',
  'StrongroomNotReady',
  'StrongroomHighErrorRate',
  'StrongroomHighLatency',
  'StrongroomStorageErrors',
  'StrongroomStoredBytesGrowth',
  'StrongroomLoginFailureSpike',
  'StrongroomRefreshTokenReuse',
];

/** GitHub's anchor of a Markdown heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

describe('deploy/prometheus', () => {
  it('defines the required alerts', () => {
    const names = alertRules().map((rule) => rule.alert);
    expect(REQUIRED_ALERTS.filter((name) => !names.includes(name))).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives every alert a severity, a summary, a description and a runbook section that exists', () => {
    const headings = new Set(
      read('deploy/README.md')
        .split('\n')
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => anchor(line.replace(/^#+ /, ''))),
    );
    const problems: string[] = [];
    for (const rule of alertRules()) {
      if (!['critical', 'warning'].includes(rule.labels?.severity ?? '')) {
        problems.push(`${rule.alert}: severity must be critical or warning`);
      }
      for (const key of ['summary', 'description', 'runbook']) {
        if (!rule.annotations?.[key]) problems.push(`${rule.alert}: no ${key} annotation`);
      }
      const runbook = /^deploy\/README\.md#(.+)$/.exec(rule.annotations?.runbook ?? '');
      if (!runbook || !headings.has(runbook[1])) {
        problems.push(
          `${rule.alert}: runbook ${rule.annotations?.runbook} has no heading in deploy/README.md`,
        );
      }
    }
    expect(problems).toEqual([]);
  });

  it('reads only metrics the app exports, standard ones, or the kubelet volume metrics', () => {
    const known = new Set([...EXPORTED_SERIES, ...KUBELET_METRICS]);
    const unknown = alertRules().flatMap((rule) =>
      metricNames(rule.expr)
        .filter((name) => !known.has(name))
        .map((name) => `${rule.alert}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('unit-tests every alert both firing and not firing', () => {
    const tests = loadYaml('deploy/prometheus/alerts.test.yml').tests as {
      alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
    }[];
    const cases = tests.flatMap((test) => test.alert_rule_test ?? []);
    const names = alertRules().map((rule) => rule.alert);
    const problems: string[] = [];
    for (const name of names) {
      const own = cases.filter((c) => c.alertname === name);
      if (!own.some((c) => (c.exp_alerts ?? []).length > 0)) problems.push(`${name}: never firing`);
      if (!own.some((c) => (c.exp_alerts ?? []).length === 0))
        problems.push(`${name}: never quiet`);
    }
    for (const c of cases)
      if (!names.includes(c.alertname)) problems.push(`unknown alert ${c.alertname}`);
    expect(problems).toEqual([]);
  });

  it('scrapes the api with the metrics token from a file', () => {
    for (const file of [
      'deploy/prometheus/prometheus.yml',
      'deploy/prometheus/prometheus-k8s.yml',
    ]) {
      const job = (loadYaml(file).scrape_configs as Mapping[]).find(
        (config) => config.job_name === 'strongroom-api',
      );
      expect({ file, metrics_path: job?.metrics_path, type: job?.authorization?.type }).toEqual({
        file,
        metrics_path: '/metrics',
        type: 'Bearer',
      });
      expect(job?.authorization?.credentials_file).toMatch(/^\//);
    }
  });
});

describeWithTools('promtool', ['promtool'], () => {
  const promtool = (...args: string[]) => runTool(tools.promtool as string, args);
  const expectSuccess = (result: ReturnType<typeof promtool>) => {
    if (result.status !== 0)
      throw new Error(`promtool failed:\n${result.stdout}\n${result.stderr}`);
  };

  /** The configuration as mounted, with a stand-in token file (promtool checks that it exists). */
  function stagedConfig(file: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-promtool-'));
    const token = path.join(dir, 'metrics-token');
    fs.writeFileSync(token, 'x'.repeat(32));
    fs.copyFileSync(repoPath('deploy/prometheus/alerts.yml'), path.join(dir, 'alerts.yml'));
    const config = read(file).replace(/^(\s*credentials_file:\s*)\S+$/gm, `$1${token}`);
    fs.writeFileSync(path.join(dir, 'prometheus.yml'), config);
    return path.join(dir, 'prometheus.yml');
  }

  it.each(['deploy/prometheus/prometheus.yml', 'deploy/prometheus/prometheus-k8s.yml'])(
    'accepts %s (promtool check config)',
    (file) => {
      const staged = stagedConfig(file);
      try {
        expectSuccess(promtool('check', 'config', staged));
      } finally {
        fs.rmSync(path.dirname(staged), { recursive: true, force: true });
      }
    },
  );

  it('accepts the alerting rules (promtool check rules)', () => {
    expectSuccess(promtool('check', 'rules', 'deploy/prometheus/alerts.yml'));
  });

  it('passes the rule unit tests (promtool test rules)', () => {
    expectSuccess(promtool('test', 'rules', 'deploy/prometheus/alerts.test.yml'));
  }, 120_000);

  it('parses every dashboard query', () => {
    const problems = dashboardExpressions().flatMap(({ panel, expr }) => {
      const result = promtool(
        'promql',
        'format',
        '--experimental',
        substituteGrafanaVariables(expr),
      );
      return result.status === 0 ? [] : [`${panel}: ${result.stderr.trim()}`];
    });
    expect(problems).toEqual([]);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Kubernetes

const OVERLAYS = ['local-nfs', 's3', 'gcs'];

function configEnv(relative: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const line of read(relative).split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) entries[match[1]] = match[2];
  }
  return entries;
}

/** The ConfigMap an overlay produces, read from the kustomization files without rendering. */
function overlayConfig(overlay: string): Record<string, string> {
  const kustomization = loadYaml(`deploy/k8s/overlays/${overlay}/kustomization.yaml`);
  const generator = (kustomization.configMapGenerator as Mapping[]).find(
    (entry) => entry.name === 'strongroom-config',
  );
  const literals = Object.fromEntries(
    ((generator?.literals as string[]) ?? []).map((literal) => {
      const at = literal.indexOf('=');
      return [literal.slice(0, at), literal.slice(at + 1)];
    }),
  );
  return { ...configEnv('deploy/k8s/base/config.env'), ...literals };
}

/** What an operator puts into the Secret strongroom-secrets. */
const REAL_SECRETS = {
  MONGO_URL: 'mongodb+srv://strongroom:password@cluster.example.com/strongroom',
  SECRET_KEY: randomBytes(48).toString('base64'),
  ENCRYPTION_KEYS: `key1:${randomBytes(32).toString('base64')}`,
  METRICS_TOKEN: randomBytes(32).toString('hex'),
  AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
};

const secretTemplate = (): Record<string, string> =>
  loadYaml('deploy/k8s/base/secret.template.yaml').stringData as Record<string, string>;

function configProblems(raw: RawEnvironment): string[] {
  try {
    parseEnvironment(raw, {
      version: 'test',
      cwd: root,
      developmentSecrets: () => {
        throw new Error('production must not generate secrets');
      },
    });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.problems;
  }
}

describe('deploy/k8s configuration', () => {
  it.each(OVERLAYS)(
    'the %s overlay configures a server that starts once the Secret is filled in',
    (overlay) => {
      expect(configProblems({ ...overlayConfig(overlay), ...REAL_SECRETS })).toEqual([]);
    },
  );

  it('the Secret template holds only placeholders the server refuses', () => {
    const template = secretTemplate();
    expect(Object.keys(template).sort()).toEqual(Object.keys(REAL_SECRETS).sort());
    const problems = configProblems({ ...overlayConfig('s3'), ...template });
    const refused = Object.keys(template).filter((name) =>
      problems.some((problem) => problem.startsWith(`${name}:`)),
    );
    expect(refused.sort()).toEqual(Object.keys(template).sort());
  });

  it('no overlay commits a Secret', () => {
    const offenders = fs
      .readdirSync(repoPath('deploy/k8s'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.ya?ml$/.test(file) && !file.endsWith('secret.template.yaml'))
      .filter((file) => /^kind:\s*Secret\s*$/m.test(read(`deploy/k8s/${file}`)));
    expect(offenders).toEqual([]);
  });
});

describeWithTools('deploy/k8s overlays (kubectl kustomize)', ['kubectl'], () => {
  const rendered: Record<string, Mapping[]> = {};
  beforeAll(() => {
    for (const overlay of OVERLAYS) {
      const result = runTool(tools.kubectl as string, [
        'kustomize',
        `deploy/k8s/overlays/${overlay}`,
      ]);
      if (result.status !== 0)
        throw new Error(`kubectl kustomize ${overlay} failed:\n${result.stderr}`);
      rendered[overlay] = parseAllDocuments(result.stdout).map((doc) => doc.toJS() as Mapping);
    }
  });
  const find = (overlay: string, kind: string) => {
    const found = rendered[overlay].filter((doc) => doc.kind === kind);
    if (found.length !== 1)
      throw new Error(`${overlay}: expected one ${kind}, found ${found.length}`);
    return found[0];
  };
  const container = (overlay: string) =>
    find(overlay, 'Deployment').spec.template.spec.containers[0];

  it('uses kubectl with kustomize v5', () => {
    const result = runTool(tools.kubectl as string, ['version', '--client']);
    expect(result.stdout).toMatch(/Kustomize Version: v5\./);
  });

  it.each(OVERLAYS)('%s: renders everything into the strongroom namespace', (overlay) => {
    const kinds = rendered[overlay].map((doc) => doc.kind).sort();
    for (const kind of [
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Namespace',
      'NetworkPolicy',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(kinds).not.toContain('Secret');
    const elsewhere = rendered[overlay].filter(
      (doc) => doc.kind !== 'Namespace' && doc.metadata.namespace !== 'strongroom',
    );
    expect(elsewhere.map((doc) => `${doc.kind}/${doc.metadata.name}`)).toEqual([]);
  });

  it.each(OVERLAYS)('%s: runs 2 hardened replicas with probes and a graceful stop', (overlay) => {
    const deployment = find(overlay, 'Deployment');
    const pod = deployment.spec.template.spec;
    const api = container(overlay);
    expect(deployment.spec.replicas).toBe(2);
    expect(api.livenessProbe.httpGet.path).toBe('/health/live');
    expect(api.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(api.startupProbe.httpGet.path).toBe('/health/live');
    expect(api.resources.requests).toBeDefined();
    expect(api.resources.limits.memory).toBeDefined();
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(api.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = api.volumeMounts.find((mount: Mapping) => mount.mountPath === '/tmp');
    expect(
      pod.volumes.find((volume: Mapping) => volume.name === tmp?.name)?.emptyDir,
    ).toBeDefined();
    const envFrom = api.envFrom.map((source: Mapping) =>
      source.configMapRef
        ? `configMap:${source.configMapRef.name}`
        : `secret:${source.secretRef.name}`,
    );
    expect(envFrom).toEqual([
      `configMap:${find(overlay, 'ConfigMap').metadata.name}`,
      'secret:strongroom-secrets',
    ]);

    const shutdownMs = configShutdownMs(find(overlay, 'ConfigMap').data);
    const preStopSeconds = Number(api.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      shutdownMs + preStopSeconds * 1000,
    );
  });

  function configShutdownMs(data: Record<string, string>): number {
    const config = parseEnvironment(
      { ...data, ...REAL_SECRETS },
      { version: 'test', cwd: root, developmentSecrets: () => ({}) as never },
    );
    return config.http.shutdownTimeoutMs;
  }

  it.each(OVERLAYS)(
    '%s: the ingress routes the web app and the API, streaming bodies up to just over MAX_FILE_SIZE, with TLS',
    (overlay) => {
      const ingress = find(overlay, 'Ingress');
      const annotations = ingress.metadata.annotations as Record<string, string>;
      const size = /^(\d+)([kmg]?)$/i.exec(
        annotations['nginx.ingress.kubernetes.io/proxy-body-size'],
      );
      if (!size) throw new Error('proxy-body-size must be a number with k, m or g');
      const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[size[2].toLowerCase() as 'k'];
      const limit = Number(size[1]) * unit;
      const maxFileSize = parseByteSize(find(overlay, 'ConfigMap').data.MAX_FILE_SIZE) as number;
      expect(limit).toBeGreaterThan(maxFileSize);
      expect(limit).toBeLessThanOrEqual(maxFileSize * 1.1);
      expect(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering']).toBe('off');
      expect(
        Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']),
      ).toBeGreaterThanOrEqual(600);
      expect(
        Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']),
      ).toBeGreaterThanOrEqual(600);
      expect(ingress.spec.tls?.[0]?.secretName).toBeTruthy();
      // The web app answers every path the API does not, so nothing less than `/` reaches it.
      const paths = ingress.spec.rules.flatMap((rule: Mapping) =>
        rule.http.paths.map((p: Mapping) => `${p.pathType} ${p.path}`),
      );
      expect(paths).toEqual(['Prefix /']);
    },
  );

  it.each(OVERLAYS)('%s: autoscales on CPU and keeps one pod through disruptions', (overlay) => {
    const hpa = find(overlay, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(find(overlay, 'PodDisruptionBudget').spec.minAvailable).toBe(1);
  });

  it.each(OVERLAYS)(
    '%s: lets in only the ingress controller and Prometheus, and out only DNS, MongoDB, Redis and HTTPS',
    (overlay) => {
      const policy = find(overlay, 'NetworkPolicy').spec;
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.ingress).toHaveLength(1);
      const sources = policy.ingress[0].from.map(
        (peer: Mapping) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
      );
      expect(sources).toEqual(['ingress-nginx', 'monitoring']);
      expect(policy.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
      const egressPorts = policy.egress.flatMap((rule: Mapping) =>
        rule.ports.map((p: Mapping) => p.port),
      );
      for (const port of [53, 27017, 6379, 443]) expect(egressPorts).toContain(port);
      const extra = overlay === 'gcs' ? [80, 988] : [];
      expect([...new Set(egressPorts)].sort()).toEqual([53, 27017, 6379, 443, ...extra].sort());
    },
  );

  it('local-nfs: mounts a ReadWriteMany claim at FILE_STORAGE_PATH for the local driver', () => {
    const data = find('local-nfs', 'ConfigMap').data;
    expect(data.STORAGE_DRIVER).toBe('local');
    const claim = find('local-nfs', 'PersistentVolumeClaim');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    const pod = find('local-nfs', 'Deployment').spec.template.spec;
    const volume = pod.volumes.find(
      (v: Mapping) => v.persistentVolumeClaim?.claimName === claim.metadata.name,
    );
    const mount = container('local-nfs').volumeMounts.find((m: Mapping) => m.name === volume?.name);
    expect(mount?.mountPath).toBe(data.FILE_STORAGE_PATH);
  });

  it('s3 and gcs: select their driver and give the pods a cloud identity', () => {
    expect(find('s3', 'ConfigMap').data).toMatchObject({ STORAGE_DRIVER: 's3' });
    expect(find('s3', 'ServiceAccount').metadata.annotations).toHaveProperty([
      'eks.amazonaws.com/role-arn',
    ]);
    expect(find('gcs', 'ConfigMap').data).toMatchObject({ STORAGE_DRIVER: 'gcs' });
    expect(find('gcs', 'ServiceAccount').metadata.annotations).toHaveProperty([
      'iam.gke.io/gcp-service-account',
    ]);
    for (const overlay of ['s3', 'gcs']) {
      expect(rendered[overlay].map((doc) => doc.kind)).not.toContain('PersistentVolumeClaim');
    }
  });
});

describeWithTools(
  'deploy/k8s against the Kubernetes JSON schemas (kubeconform)',
  ['kubectl', 'kubeconform', 'schemaLocation'],
  () => {
    const kubeconform = (version: string, manifests: string) =>
      runTool(
        tools.kubeconform as string,
        [
          '-strict',
          '-summary',
          '-output',
          'json',
          '-kubernetes-version',
          version,
          '-schema-location',
          tools.schemaLocation as string,
          '-',
        ],
        manifests,
      );
    const summary = (output: string) =>
      (JSON.parse(output) as { summary: Record<string, number> }).summary;

    const cases = OVERLAYS.flatMap((overlay) =>
      K8S_SCHEMAS.kubernetesVersions.map((version) => [overlay, version]),
    );

    it.each(cases)('%s is valid for Kubernetes %s', (overlay, version) => {
      const render = runTool(tools.kubectl as string, [
        'kustomize',
        `deploy/k8s/overlays/${overlay}`,
      ]);
      expect(render.status).toBe(0);
      const count = parseAllDocuments(render.stdout).length;
      const result = kubeconform(version, render.stdout);
      if (result.status !== 0) throw new Error(`kubeconform:\n${result.stdout}\n${result.stderr}`);
      expect(summary(result.stdout)).toEqual({ valid: count, invalid: 0, errors: 0, skipped: 0 });
    });

    it.each(K8S_SCHEMAS.kubernetesVersions)(
      'the Secret template is valid for Kubernetes %s',
      (version) => {
        const result = kubeconform(version, read('deploy/k8s/base/secret.template.yaml'));
        if (result.status !== 0)
          throw new Error(`kubeconform:\n${result.stdout}\n${result.stderr}`);
        expect(summary(result.stdout)).toMatchObject({ valid: 1, invalid: 0, errors: 0 });
      },
    );

    it('rejects a misspelt field, so the schemas are strict and really in use', () => {
      const broken = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: x }',
        'spec:',
        '  replica: 2',
        '  selector: { matchLabels: { app: x } }',
        '  template:',
        '    metadata: { labels: { app: x } }',
        '    spec: { containers: [{ name: x, image: x }] }',
      ].join('\n');
      const result = kubeconform(K8S_SCHEMAS.kubernetesVersions[0], broken);
      expect(result.status).not.toBe(0);
      expect(summary(result.stdout)).toMatchObject({ valid: 0, invalid: 1 });
    });
  },
);

// ---------------------------------------------------------------------------------------------
// docker-compose monitoring profile and Grafana

describe('docker-compose.yml monitoring profile', () => {
  const compose = () => loadYaml('docker-compose.yml') as Mapping;
  const service = (name: string) => compose().services[name] as Mapping;
  const bindMounts = (name: string) =>
    ((service(name).volumes as string[]) ?? [])
      .map((volume) => volume.split(':'))
      .filter(([source]) => /^[./~]/.test(source))
      .map(([source, target]) => ({ source, target }));

  it.each(['prometheus', 'grafana'])('runs %s only with the monitoring profile', (name) => {
    expect(service(name).profiles).toEqual(['monitoring']);
  });

  it.each(['prometheus', 'grafana'])('%s mounts only files that exist', (name) => {
    const mounts = bindMounts(name);
    expect(mounts.length).toBeGreaterThan(0);
    expect(mounts.filter(({ source }) => !fs.existsSync(repoPath(source)))).toEqual([]);
  });

  it('gives Prometheus its configuration, every rule file it names, and the metrics token', () => {
    const mounts = bindMounts('prometheus');
    const configMount = mounts.find(
      ({ source }) => source === './deploy/prometheus/prometheus.yml',
    );
    expect(configMount?.target).toBe('/etc/prometheus/prometheus.yml');
    const config = loadYaml('deploy/prometheus/prometheus.yml');
    for (const rules of config.rule_files as string[]) {
      const target = path.posix.resolve('/etc/prometheus', rules);
      const mount = mounts.find((m) => m.target === target);
      expect({ rules, source: mount?.source }).toEqual({
        rules,
        source: `./deploy/prometheus/${rules}`,
      });
    }
    const command = (service('prometheus').command as string[]).join(' ');
    expect(command).toContain('--config.file=/etc/prometheus/prometheus.yml');

    const job = (config.scrape_configs as Mapping[]).find((c) => c.job_name === 'strongroom-api');
    const tokenFile = /^\/run\/secrets\/(\w+)$/.exec(job?.authorization?.credentials_file ?? '');
    expect(tokenFile).not.toBeNull();
    const secret = (tokenFile as RegExpExecArray)[1];
    expect(service('prometheus').secrets).toContain(secret);
    expect(compose().secrets[secret]).toEqual({ environment: 'METRICS_TOKEN' });
    expect(read('.env.example')).toMatch(/^METRICS_TOKEN=/m);
    expect(job?.dns_sd_configs?.[0]?.names).toEqual(['api']);
  });

  it('gives Grafana its provisioning, the dashboards and an admin password from .env', () => {
    const mounts = bindMounts('grafana');
    expect(mounts.find((m) => m.source === './deploy/grafana/provisioning')?.target).toBe(
      '/etc/grafana/provisioning',
    );
    const provider = loadYaml('deploy/grafana/provisioning/dashboards/strongroom.yml').providers[0];
    expect(mounts.find((m) => m.target === provider.options.path)?.source).toBe(
      './deploy/grafana/dashboards',
    );
    const datasource = loadYaml('deploy/grafana/provisioning/datasources/prometheus.yml')
      .datasources[0];
    const url = new URL(datasource.url as string);
    expect(Object.keys(compose().services)).toContain(url.hostname);
    expect(url.port).toBe('9090');

    const environment = service('grafana').environment as Record<string, string>;
    const passwordFile = /^\/run\/secrets\/(\w+)$/.exec(
      environment.GF_SECURITY_ADMIN_PASSWORD__FILE ?? '',
    );
    expect(passwordFile).not.toBeNull();
    const secret = (passwordFile as RegExpExecArray)[1];
    expect(service('grafana').secrets).toContain(secret);
    const variable = compose().secrets[secret].environment as string;
    expect(read('.env.example')).toMatch(new RegExp(`^${variable}=`, 'm'));
  });

  it('publishes Prometheus and Grafana on the loopback interface only', () => {
    for (const name of ['prometheus', 'grafana']) {
      for (const port of (service(name).ports as string[]) ?? [])
        expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });
});

interface DashboardExpression {
  panel: string;
  expr: string;
}

function dashboardExpressions(): DashboardExpression[] {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/strongroom.json')) as Mapping;
  const panels = (dashboard.panels as Mapping[]).flatMap((panel) => [
    panel,
    ...(panel.panels ?? []),
  ]);
  return panels.flatMap((panel) =>
    ((panel.targets as Mapping[] | undefined) ?? []).map((target) => ({
      panel: String(panel.title),
      expr: String(target.expr),
    })),
  );
}

describe('deploy/grafana', () => {
  it('has provisioning files that parse', () => {
    expect(loadYaml('deploy/grafana/provisioning/datasources/prometheus.yml').apiVersion).toBe(1);
    expect(loadYaml('deploy/grafana/provisioning/dashboards/strongroom.yml').apiVersion).toBe(1);
  });

  it('has a dashboard that parses, with unique panel ids', () => {
    const dashboard = JSON.parse(read('deploy/grafana/dashboards/strongroom.json')) as Mapping;
    expect(dashboard.uid).toBeTruthy();
    const ids = (dashboard.panels as Mapping[]).map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboardExpressions().length).toBeGreaterThan(10);
  });

  it('queries only metrics the app exports or standard ones', () => {
    const unknown = dashboardExpressions().flatMap(({ panel, expr }) =>
      metricNames(substituteGrafanaVariables(expr))
        .filter((name) => !EXPORTED_SERIES.has(name))
        .map((name) => `${panel}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('shows traffic, errors, latency quantiles, transfers, stored totals, security events and the runtime', () => {
    const all = dashboardExpressions()
      .map(({ expr }) => expr)
      .join('\n');
    for (const needle of [
      'rate(http_request_duration_seconds_count',
      'status=~"5.."',
      'histogram_quantile(0.5,',
      'histogram_quantile(0.9,',
      'histogram_quantile(0.99,',
      'storage_upload_bytes_total',
      'storage_download_bytes_total',
      'strongroom_stored_bytes',
      'strongroom_stored_files',
      'security_events_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(all).toContain(needle);
    }
  });
});
