import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { configSchema, loadConfig } from '../../app/config.ts';
import { renderHelm } from './helm-template.ts';

const SETTINGS = new Set(Object.keys(configSchema.shape));
/** What several instances sharing the work cannot do without (each would otherwise go its own way). */
const REQUIRED = ['DATABASE_URL', 'REDIS_URL', 'MQTT_URL', 'API_KEYS', 'WIDGET_SECRET'];
/** Stand-ins for values that come from Secrets, valid for the configuration schema. */
const SECRET_STANDINS: Record<string, string> = {
  DATABASE_URL: 'postgresql://parking:secret@db:5432/parking',
  REDIS_URL: 'redis://cache:6379',
  MQTT_URL: 'mqtt://broker:1883',
  API_KEYS: 'an-api-key-0123456789',
  WIDGET_SECRET: 'a-widget-secret-0123456789abcdef0123456789',
  METRICS_TOKEN: 'a-metrics-token-0123456789',
};
const read = (path: string) => readFileSync(path, 'utf8');
/** A `helm` binary on PATH, if this machine has one. */
const HELM = (() => {
  try {
    execFileSync('helm', ['version', '--short'], { stdio: 'ignore' });
    return 'helm';
  } catch {
    return null;
  }
})();

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

/** Every variable set, each set once, all known to app/config.ts, the required ones present, and valid together. */
function checkEnvironment(vars: Array<{ name: string; value?: string; fromSecret?: boolean }>) {
  const names = vars.map((v) => v.name);
  expect(names.filter((n, k) => names.indexOf(n) !== k)).toEqual([]);
  expect(names.filter((n) => !SETTINGS.has(n))).toEqual([]);
  expect(REQUIRED.filter((n) => !names.includes(n))).toEqual([]);
  // secrets never as literal values in a manifest
  for (const n of REQUIRED.filter((r) => r !== 'MQTT_URL'))
    expect(vars.find((v) => v.name === n)!.fromSecret, `${n} comes from a Secret`).toBe(true);
  const env = Object.fromEntries(vars.map((v) => [v.name, v.fromSecret ? SECRET_STANDINS[v.name] : v.value]));
  const config = loadConfig(env);
  expect(config.HOST).toBe('0.0.0.0');
  expect(config.LOG_FORMAT).toBe('json');
  return config;
}

const fromK8s = (env: EnvVar[]) =>
  env.map((e) => ({ name: e.name, value: e.value, fromSecret: Boolean(e.valueFrom?.secretKeyRef) }));

describe('Helm chart', () => {
  const dir = 'deploy/helm/smart-parking-platform';
  const values = parse(read(join(dir, 'values.yaml'))) as Record<string, unknown>;
  const chart = parse(read(join(dir, 'Chart.yaml'))) as Record<string, unknown>;
  type K8sObject = {
    kind: string;
    metadata: { name: string };
    spec: Record<string, unknown>;
    data?: Record<string, string>;
  };
  const parsed = (yaml: string, where: string) =>
    parseAllDocuments(yaml)
      .map((d) => {
        expect(d.errors, where).toEqual([]);
        return d.toJS() as K8sObject | null;
      })
      .filter((d) => d !== null);
  /** The chart through the built-in renderer (values merged one level deep, as the tests override them). */
  const renderBuiltIn = (overrides: Record<string, unknown> = {}) => {
    const root = {
      Values: { ...values, ...overrides },
      Release: { Name: 'parking' },
      Chart: { Name: chart['name'] },
    };
    return readdirSync(join(dir, 'templates'))
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parsed(renderHelm(read(join(dir, 'templates', f)), root), f));
  };
  /** The chart through the real `helm template`, with the overrides as a values file. */
  const renderWithHelm = (overrides: Record<string, unknown> = {}) => {
    const file = join(mkdtempSync(join(tmpdir(), 'spp-helm-')), 'overrides.yaml');
    writeFileSync(file, stringify(overrides));
    return parsed(
      execFileSync(HELM!, ['template', 'parking', dir, '-f', file], { encoding: 'utf8' }),
      'helm',
    );
  };
  // Real Helm where the machine has it (CI need not: the built-in renderer checks the same things).
  const render = HELM ? renderWithHelm : renderBuiltIn;

  it.skipIf(!HELM)('renders as `helm template` does, and passes `helm lint`', () => {
    const byName = (objects: K8sObject[]) =>
      Object.fromEntries(objects.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
    for (const overrides of [{}, { ingress: { enabled: false }, autoscaling: { enabled: false } }])
      expect(byName(renderBuiltIn(overrides))).toEqual(byName(renderWithHelm(overrides)));
    expect(execFileSync(HELM!, ['lint', dir], { encoding: 'utf8' })).toMatch(/0 chart\(s\) failed/);
  });

  it('renders Kubernetes objects: deployment, service, ingress, autoscaler, disruption budget, settings', () => {
    const kinds = render().map((o) => o.kind);
    expect(kinds.sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Ingress',
        'PodDisruptionBudget',
        'Service',
      ].sort(),
    );
    const off = render({ ingress: { enabled: false }, autoscaling: { enabled: false } });
    expect(off.map((o) => o.kind)).not.toContain('Ingress');
    const deployment = off.find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec['replicas']).toBe(2);
  });

  it('sets only settings the platform knows, every required one, secrets from the Secret', () => {
    const objects = render();
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const pod = (deployment.spec['template'] as { spec: { containers: Array<Record<string, unknown>> } })
      .spec;
    const container = pod.containers[0]!;
    const env = [
      ...Object.entries(configMap.data ?? {}).map(([name, value]) => ({ name, value })),
      ...fromK8s(container['env'] as EnvVar[]),
    ];
    const config = checkEnvironment(env);
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined(); // empty counts as unset
    for (const e of container['env'] as EnvVar[])
      expect(e.valueFrom?.secretKeyRef?.name).toBe(values['existingSecret']);
  });

  it('probes liveness and readiness, rolls without dropping conversations, runs as non-root', () => {
    const objects = render();
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    const pod = (deployment.spec['template'] as { spec: Record<string, unknown> }).spec;
    const container = (pod['containers'] as Array<Record<string, Record<string, unknown>>>)[0]!;
    expect((container['livenessProbe']!['httpGet'] as { path: string }).path).toBe('/healthz');
    expect((container['readinessProbe']!['httpGet'] as { path: string }).path).toBe('/readyz');
    expect(deployment.spec['strategy']).toMatchObject({ rollingUpdate: { maxUnavailable: 0 } });
    const grace = Number((values['env'] as Record<string, string>)['SHUTDOWN_GRACE_SECONDS']);
    expect(pod['terminationGracePeriodSeconds']).toBeGreaterThan(grace + Number(values['preStopSeconds']));
    expect(pod['securityContext']).toMatchObject({ runAsNonRoot: true });
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget')!;
    expect(pdb.spec['minAvailable']).toBe(1);
    expect(pdb.spec['selector']).toEqual((deployment.spec['selector'] as object) ?? {});
  });
});

describe('KubeVela Application', () => {
  const app = parse(read('deploy/kubevela/application.yaml')) as {
    kind: string;
    spec: {
      components: Array<{
        name: string;
        type: string;
        properties: Record<string, unknown>;
        traits?: Array<{ type: string; properties: Record<string, unknown> }>;
      }>;
    };
  };
  const web = app.spec.components.find((c) => c.type === 'webservice')!;

  it('is a webservice with scaler and gateway traits, probes and a rolling update that keeps capacity', () => {
    expect(app.kind).toBe('Application');
    const traits = Object.fromEntries((web.traits ?? []).map((t) => [t.type, t.properties]));
    expect(traits['scaler']).toMatchObject({ replicas: 2 });
    expect(traits['gateway']).toMatchObject({ http: { '/': 3000 } });
    expect(traits['k8s-update-strategy']).toMatchObject({
      strategy: { type: 'RollingUpdate', rollingStrategy: { maxUnavailable: 0 } },
    });
    expect(web.properties['livenessProbe']).toMatchObject({ httpGet: { path: '/healthz' } });
    expect(web.properties['readinessProbe']).toMatchObject({ httpGet: { path: '/readyz' } });
    const objects = app.spec.components
      .filter((c) => c.type === 'k8s-objects')
      .flatMap((c) => c.properties['objects'] as Array<{ kind: string }>);
    expect(objects.map((o) => o.kind)).toContain('PodDisruptionBudget');
  });

  it('sets only settings the platform knows, every required one, secrets from Kubernetes Secrets', () => {
    checkEnvironment(fromK8s(web.properties['env'] as EnvVar[]));
  });
});

describe('docker-compose.yml and Dockerfile', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; image?: string; volumes?: string[] }>;
  };

  it('runs two platform instances behind a load balancer, with PostgreSQL, Redis and Mosquitto', () => {
    const platforms = Object.entries(compose.services).filter(([, s]) => s.environment?.['DATABASE_URL']);
    expect(platforms.map(([n]) => n)).toEqual(['platform-1', 'platform-2']);
    for (const [, s] of platforms) {
      // ${VAR:-default} as compose substitutes it when VAR is unset
      const env = Object.entries(s.environment!).map(([name, v]) => ({
        name,
        value: String(v).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
        fromSecret: true,
      }));
      const config = loadConfig(Object.fromEntries(env.map((e) => [e.name, e.value])));
      expect(env.map((e) => e.name).filter((n) => !SETTINGS.has(n))).toEqual([]);
      expect(REQUIRED.filter((n) => !(n in s.environment!))).toEqual([]);
      expect(config.MQTT_SHARED_GROUP).toBeTruthy();
    }
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['lb', 'postgres', 'redis', 'mosquitto']),
    );
    const nginx = compose.services['lb']!.volumes![0]!.split(':')[0]!;
    const conf = read(nginx);
    for (const [name] of platforms) expect(conf).toContain(`server ${name}:3000`);
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
  });

  it('builds in stages, runs production dependencies as a non-root user, checks /readyz', () => {
    const lines = read('Dockerfile')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'));
    const from = lines.map((l, k) => [l, k] as const).filter(([l]) => /^FROM /i.test(l));
    expect(from.length).toBeGreaterThanOrEqual(2);
    const final = lines.slice(from.at(-1)![1]);
    const user = final.filter((l) => /^USER /i.test(l)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER\s+(root|0)\b/);
    expect(final.join('\n')).toMatch(/HEALTHCHECK .*\/readyz/);
    expect(final.join('\n')).toMatch(/CMD .*app\/main\.ts/);
    expect(lines.join('\n')).toMatch(/npm prune --omit=dev/);
    for (const l of final.filter((x) => /^ENV /i.test(x)))
      for (const [, name] of l.matchAll(/(\w+)=/g))
        expect(SETTINGS.has(name!), `${name} is a setting`).toBe(true);
    for (const l of lines.filter((x) => /^COPY (?!--from)/i.test(x))) {
      const sources = l
        .split(/\s+/)
        .slice(1, -1)
        .filter((s) => !s.startsWith('--'));
      for (const s of sources) if (s !== '.') expect(existsSync(s), `${s} exists`).toBe(true);
    }
    const ignored = read('.dockerignore').split('\n');
    for (const p of ['node_modules', '.data', '.git']) expect(ignored).toContain(p);
  });
});
