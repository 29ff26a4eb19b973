// Our machines have no container engine and no cluster, so the image, compose and k8s/ artefacts are
// checked statically: k8s/ renders with the real `kubectl kustomize` and validates against the
// Kubernetes schemas; docker-compose.yml and the Dockerfile are parsed and their contract asserted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import {
  type K8sObject,
  byKind,
  chartDir,
  parseManifests,
  render,
  repoRoot,
  tool,
  validateObjects,
} from './helm';

const COMPONENTS = ['auth', 'order', 'invoice', 'tax-bridge', 'reconciliation', 'tax-authority-sim'];
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

describe('k8s/ (kustomize, local kind/k3d cluster)', () => {
  let objects: K8sObject[];
  beforeAll(() => {
    const result = spawnSync(tool('kubectl'), ['kustomize', join(repoRoot, 'k8s')], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`kubectl kustomize failed:\n${result.stderr}`);
    objects = parseManifests(result.stdout);
  });

  test('renders and every object validates against the Kubernetes schemas', () => {
    expect(objects.length).toBeGreaterThan(5);
    expect(validateObjects(objects)).toEqual([]);
    for (const o of objects) if (o.kind !== 'Namespace') expect(o.metadata.namespace).toBe('fapiao');
  });

  const container = (name: string) => {
    const workload = objects.find(
      (o) => ['StatefulSet', 'Deployment'].includes(o.kind) && o.metadata.name === name,
    );
    const [first] = workload!.spec.template.spec.containers;
    return {
      ...first,
      env: Object.fromEntries((first.env ?? []).map((e: K8sObject) => [e.name, e.value ?? e.valueFrom])),
    };
  };

  test('runs Kafka in KRaft mode on one node, MySQL 8 and Jaeger v2 with OTLP', () => {
    const kafka = container('kafka');
    expect(kafka.env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.env).not.toHaveProperty('KAFKA_ZOOKEEPER_CONNECT');
    expect(kafka.env.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://kafka:9092');
    expect(container('mysql').image).toMatch(/^mysql:8\./);
    const jaeger = container('jaeger');
    expect(jaeger.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(jaeger.ports.map((p: K8sObject) => p.containerPort)).toEqual(
      expect.arrayContaining([4317, 4318, 16686, 13133]),
    );
  });

  test("Jaeger's configuration is one its release accepts, listening where the Service and probes point", async () => {
    const { ensureJaeger, JAEGER_RELEASE } = (await import(
      pathToFileURL(join(repoRoot, 'tools/jaeger/jaeger.mjs')).href
    )) as { ensureJaeger(): Promise<string>; JAEGER_RELEASE: string };
    expect(container('jaeger').image).toBe(`jaegertracing/jaeger:${JAEGER_RELEASE}`);
    const [config] = byKind(objects, 'ConfigMap').filter((c) => c.metadata.name === 'jaeger-config');
    const dir = mkdtempSync(join(tmpdir(), 'fapiao-k8s-jaeger-'));
    writeFileSync(join(dir, 'config.yaml'), config.data['config.yaml']);
    // The binary of the same release, built by the test setup (tools/jaeger): it refuses unknown keys.
    const validated = spawnSync(
      await ensureJaeger(),
      ['validate', `--config=file:${join(dir, 'config.yaml')}`],
      {
        encoding: 'utf8',
      },
    );
    expect(validated.stderr).not.toMatch(/error/i);
    expect(validated.status).toBe(0);

    const parsed = YAML.parse(config.data['config.yaml']);
    const listens = [
      parsed.receivers.otlp.protocols.grpc.endpoint,
      parsed.receivers.otlp.protocols.http.endpoint,
      parsed.extensions.jaeger_query.http.endpoint,
      parsed.extensions.healthcheckv2.http.endpoint,
    ];
    expect(listens).toEqual(['0.0.0.0:4317', '0.0.0.0:4318', '0.0.0.0:16686', '0.0.0.0:13133']);
    const probe = container('jaeger').readinessProbe.httpGet;
    expect(probe.path).toBe(parsed.extensions.healthcheckv2.http.status.path);
    // Under `npm test` the e2e setup has built Jaeger already; alone, the first run builds it (minutes).
  }, 900_000);

  test('provides the Secrets the chart references by default, with a key per component', () => {
    const secrets = Object.fromEntries(byKind(objects, 'Secret').map((s) => [s.metadata.name, s]));
    const values = YAML.parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8'));
    const db = secrets[values.database.existingSecret];
    for (const name of COMPONENTS) expect(Object.keys(db.data)).toContain(name);
    expect(Object.keys(secrets[values.auth.keyEncryption.existingSecret].data)).toContain(
      values.auth.keyEncryption.key,
    );
    const key = Buffer.from(
      secrets[values.auth.keyEncryption.existingSecret].data[values.auth.keyEncryption.key],
      'base64',
    ).toString();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    const cert = secrets[values.taxAuthority.clientCertificate.existingSecret];
    expect(cert.type).toBe('kubernetes.io/tls');
    expect(Object.keys(cert.data).sort()).toEqual(
      [values.taxAuthority.clientCertificate.certKey, values.taxAuthority.clientCertificate.keyKey].sort(),
    );
  });

  test('holds every Secret key the chart installed with values-dev.yaml reads', () => {
    const provided = new Set(
      byKind(objects, 'Secret').flatMap((secret) =>
        Object.keys({ ...secret.data, ...secret.stringData }).map((key) => `${secret.metadata.name}/${key}`),
      ),
    );
    const referenced = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === 'object') {
        const ref = (node as { secretKeyRef?: { name: string; key: string; optional?: boolean } })
          .secretKeyRef;
        if (ref && !ref.optional) referenced.add(`${ref.name}/${ref.key}`);
        Object.values(node).forEach(collect);
      }
    };
    collect(render('values-dev.yaml'));
    expect(referenced.size).toBeGreaterThan(5);
    expect([...referenced].filter((ref) => !provided.has(ref))).toEqual([]);
  });

  test('values-dev.yaml points at the services k8s/ creates', () => {
    const dev = YAML.parse(readFileSync(join(chartDir, 'values-dev.yaml'), 'utf8'));
    const services = byKind(objects, 'Service');
    const port = (name: string, number: number) =>
      services.find((s) => s.metadata.name === name)?.spec.ports.some((p: K8sObject) => p.port === number);
    expect(port(dev.database.host, 3306)).toBe(true);
    const [kafkaHost, kafkaPort] = dev.kafka.brokers.split(':');
    expect(port(kafkaHost, Number(kafkaPort))).toBe(true);
    const otel = new URL(dev.otel.endpoint);
    expect(port(otel.hostname, Number(otel.port))).toBe(true);
  });

  test('the namespace enforces the restricted Pod Security Standard the chart is built for', () => {
    const [namespace] = byKind(objects, 'Namespace');
    expect(namespace.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });
});

describe('docker-compose.yml', () => {
  const compose = YAML.parse(read('docker-compose.yml'), { merge: true });
  const services: Record<string, K8sObject> = compose.services;

  test('has real Kafka (KRaft), MySQL 8, Jaeger with OTLP and every component', () => {
    expect(services.kafka.image).toMatch(/^apache\/kafka:/);
    expect(services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.mysql.image).toMatch(/^mysql:8\./);
    // The same release and configuration as k8s/ (checked against the Jaeger binary above).
    expect(services.jaeger.image).toMatch(/^jaegertracing\/jaeger:2\./);
    expect(services.jaeger.volumes).toContain('./k8s/jaeger/config.yaml:/etc/jaeger/config.yaml:ro');
    for (const name of COMPONENTS) expect(Object.keys(services)).toContain(name);
  });

  test('every service has an image or build, and a healthcheck unless it is a one-shot job', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, source: Boolean(service.image || service.build) }).toEqual({ name, source: true });
      if (service.restart !== 'no')
        expect({ name, healthcheck: service.healthcheck?.test?.length > 0 }).toEqual({
          name,
          healthcheck: true,
        });
    }
  });

  test('every depends_on names an existing service with a valid condition', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries<K8sObject>(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in services }).toEqual({
          name,
          dependency,
          exists: true,
        });
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
      }
    }
  });

  test('components build their own image and get the environment they validate at boot', () => {
    for (const name of COMPONENTS) {
      const service = services[name];
      expect(service.build.args.APP).toBe(name);
      expect(service.read_only).toBe(true);
      const env = service.environment;
      for (const key of [
        'PORT',
        'DB_HOST',
        'DB_PORT',
        'DB_USER',
        'DB_PASSWORD',
        'DB_NAME',
        'AUTH_ISSUER',
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        'OTEL_SERVICE_NAME',
      ]) {
        expect({ name, key, present: key in env }).toEqual({ name, key, present: true });
      }
      if (name !== 'tax-authority-sim') {
        expect(env.KAFKA_BROKERS).toBe('kafka:9092');
        expect(service.depends_on['kafka-topics'].condition).toBe('service_completed_successfully');
      }
      expect(service.depends_on.mysql.condition).toBe('service_healthy');
    }
    expect(services.auth.environment.AUTH_KEY_ENCRYPTION_KEY).toBeDefined();
    expect(services['tax-bridge'].environment.TAX_AUTHORITY_URL).toBe('http://tax-authority-sim:3010');
    expect(services['kafka-topics'].environment).toMatchObject({
      KAFKA_TOPIC_PARTITIONS: expect.any(String),
      KAFKA_TOPIC_REPLICATION_FACTOR: '1',
    });
  });

  test('mounts only files that exist in the repository', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const [source] = String(volume).split(':');
        if (source.startsWith('./'))
          expect({ source, exists: existsSync(join(repoRoot, source)) }).toEqual({ source, exists: true });
      }
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => line.trim());
  const stages = instructions.reduce<string[][]>((all, line) => {
    if (/^FROM /i.test(line)) all.push([]);
    all.at(-1)?.push(line);
    return all;
  }, []);
  const runtime = stages.at(-1)!;

  test('is multi-stage and builds with SWC in a stage the runtime image does not keep', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(instructions.filter((l) => /^FROM .+ AS \S+$/i.test(l)).length).toBe(stages.length);
    expect(instructions).toContain('RUN node tools/build/build.mjs');
    expect(runtime.some((l) => l.includes('npm ci --omit=dev'))).toBe(false);
    expect(runtime.filter((l) => l.startsWith('COPY --from=')).length).toBeGreaterThan(0);
  });

  test('the runtime stage runs as a numeric non-root user with a HEALTHCHECK', () => {
    const user = runtime.find((l) => l.startsWith('USER '));
    expect(user).toMatch(/^USER [1-9][0-9]*(:[1-9][0-9]*)?$/);
    expect(runtime.some((l) => l.startsWith('HEALTHCHECK ') && l.includes('/healthz'))).toBe(true);
  });

  test('one image per app through the APP build argument, started with the OpenTelemetry register hook', () => {
    expect(runtime).toContain('ARG APP');
    for (const name of COMPONENTS) expect(dockerfile).toContain(name);
    expect(runtime.find((l) => l.startsWith('CMD '))).toContain(
      '--require ./dist/libs/platform/observability/src/register.js',
    );
    expect(runtime.find((l) => l.startsWith('CMD '))).toContain('exec node');
  });

  test('.dockerignore keeps dependencies, build output and VCS data out of the context', () => {
    const ignore = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git']) expect(ignore).toContain(entry);
  });
});
