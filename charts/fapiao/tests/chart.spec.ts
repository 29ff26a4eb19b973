// The rendered chart, checked the way the issue asks: real `helm lint` and `helm template` (Helm 3 and
// Helm 4) for the default, dev and full values, every object validated against the Kubernetes schemas,
// and the properties a platform team relies on asserted on the output.
import { readFileSync, writeFileSync, mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HELM_MAJORS,
  REQUIRED_VALUES,
  VALUES_SETS,
  type K8sObject,
  type ValuesSet,
  byKind,
  chartDir,
  component,
  isHook,
  lint,
  podSpecs,
  render,
  runHelm,
  templateArgs,
  useHelm,
  validateObjects,
} from './helm';

const COMPONENTS = ['auth', 'order', 'invoice', 'tax-bridge', 'reconciliation'];
const rendered = {} as Record<ValuesSet, K8sObject[]>;
let validationErrors: string[] = [];

const appDeployments = (set: ValuesSet) => byKind(rendered[set], 'Deployment');
const containersOf = (set: ValuesSet) =>
  podSpecs(rendered[set]).flatMap(({ owner, spec }) =>
    [...(spec.initContainers ?? []), ...spec.containers].map((container: K8sObject) => ({
      owner,
      container,
    })),
  );
const envOf = (container: K8sObject) =>
  Object.fromEntries((container.env ?? []).map((e: K8sObject) => [e.name, e.value ?? e.valueFrom]));
const configMapOf = (set: ValuesSet, name: string) =>
  byKind(rendered[set], 'ConfigMap').find((c) => c.metadata.name === name)?.data ?? {};

describe.each(HELM_MAJORS)('Helm %i', (major) => {
  beforeAll(() => {
    useHelm(major);
    for (const set of VALUES_SETS) rendered[set] = render(set);
    // One validator run for all three renders: the strict pass compiles them in a single program.
    validationErrors = validateObjects(VALUES_SETS.flatMap((set) => rendered[set]));
  });

  describe.each(VALUES_SETS)('chart with %s values', (set) => {
    test('helm lint --strict passes', () => {
      const result = lint(set);
      expect(result.stderr + result.stdout).toContain('0 chart(s) failed');
      expect(result.status).toBe(0);
    });

    test('every rendered object validates against the Kubernetes schemas', () => {
      expect(rendered[set].length).toBeGreaterThan(20);
      expect(validationErrors).toEqual([]);
    });

    test('one Deployment, Service, ServiceAccount, ConfigMap and PDB per enabled component', () => {
      const expected = set === 'default' ? COMPONENTS : [...COMPONENTS, 'tax-authority-sim'];
      for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget']) {
        const names = byKind(rendered[set], kind)
          .filter((o) => !isHook(o))
          .map(component)
          .sort();
        expect({ kind, names }).toEqual({ kind, names: [...expected].sort() });
      }
      for (const deployment of appDeployments(set)) {
        expect(configMapOf(set, deployment.metadata.name)).toHaveProperty('PORT');
      }
    });

    test('every app container has startup, liveness (/healthz) and readiness (/readyz) probes', () => {
      for (const deployment of appDeployments(set)) {
        // The component's own container; sidecars bring their own probes or none.
        for (const container of deployment.spec.template.spec.containers.filter(
          (c: K8sObject) => c.name === component(deployment),
        )) {
          expect(container.startupProbe?.httpGet?.path).toBe('/healthz');
          expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
          expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
          for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
            expect(probe.httpGet.port).toBe('http');
            expect(probe.periodSeconds).toBeGreaterThan(0);
            expect(probe.timeoutSeconds).toBeGreaterThan(0);
          }
        }
      }
    });

    test('the pod outlives the graceful shutdown: terminationGracePeriodSeconds > preStop + SHUTDOWN_GRACE_MS', () => {
      for (const deployment of appDeployments(set)) {
        const pod = deployment.spec.template.spec;
        const graceMs = Number(configMapOf(set, deployment.metadata.name).SHUTDOWN_GRACE_MS);
        const preStop = pod.containers[0].lifecycle.preStop.sleep.seconds;
        expect(graceMs).toBeGreaterThan(0);
        expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStop * 1000 + graceMs);
      }
    });

    test('HPAs use autoscaling/v2 with a CPU target, memory only where set, and behaviour; scaled Deployments omit replicas', () => {
      const hpas = byKind(rendered[set], 'HorizontalPodAutoscaler');
      const scaledObjects = byKind(rendered[set], 'ScaledObject');
      const scaled = new Set([...hpas, ...scaledObjects].map((h) => h.spec.scaleTargetRef.name));
      for (const hpa of hpas) {
        expect(hpa.apiVersion).toBe('autoscaling/v2');
        expect(hpa.spec.scaleTargetRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
        expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
        expect(hpa.spec).not.toHaveProperty('targetCPUUtilizationPercentage');
        const targets = Object.fromEntries(
          hpa.spec.metrics.map((m: K8sObject) => [m.resource.name, m.resource.target]),
        );
        expect(targets.cpu).toMatchObject({ type: 'Utilization', averageUtilization: expect.any(Number) });
        // A memory target scales Node services up and never back (the heap rarely shrinks): opt-in only.
        const memory = set === 'values-full.yaml' && component(hpa) === 'order' ? 85 : undefined;
        expect({ hpa: hpa.metadata.name, memory: targets.memory?.averageUtilization }).toEqual({
          hpa: hpa.metadata.name,
          memory,
        });
        expect(hpa.spec.behavior.scaleUp.policies.length).toBeGreaterThan(0);
        expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThan(0);
      }
      for (const deployment of appDeployments(set)) {
        if (scaled.has(deployment.metadata.name)) expect(deployment.spec).not.toHaveProperty('replicas');
        else expect(deployment.spec.replicas).toBeGreaterThan(0);
      }
      if (set === 'values-dev.yaml') expect(hpas).toEqual([]);
      else expect(scaled.size).toBeGreaterThanOrEqual(COMPONENTS.length);
    });

    test('every Deployment has a PodDisruptionBudget selecting exactly its pods, and spreads its replicas', () => {
      const pdbs = byKind(rendered[set], 'PodDisruptionBudget');
      for (const deployment of appDeployments(set)) {
        const selector = deployment.spec.selector.matchLabels;
        const pdb = pdbs.find(
          (p) => JSON.stringify(p.spec.selector.matchLabels) === JSON.stringify(selector),
        );
        expect(pdb).toBeDefined();
        expect(
          Object.keys(pdb!.spec).filter((k) => k === 'minAvailable' || k === 'maxUnavailable'),
        ).toHaveLength(1);
        const spread = deployment.spec.template.spec.topologySpreadConstraints;
        expect(spread.map((t: K8sObject) => t.topologyKey)).toContain('kubernetes.io/hostname');
        for (const t of spread) expect(t.labelSelector.matchLabels).toEqual(selector);
      }
    });

    test('hardened securityContext on every pod and container (apps, hook Jobs, helm test)', () => {
      const pods = podSpecs(rendered[set]);
      expect(pods.length).toBeGreaterThan(COMPONENTS.length);
      for (const { owner, spec } of pods) {
        expect({ owner, pod: spec.securityContext }).toMatchObject({
          owner,
          pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        });
        expect({ owner, automount: spec.automountServiceAccountToken }).toEqual({ owner, automount: false });
      }
      for (const { owner, container } of containersOf(set)) {
        expect({ owner, securityContext: container.securityContext }).toEqual({
          owner,
          securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        });
        expect(container.resources.requests).toEqual(
          expect.objectContaining({ cpu: expect.anything(), memory: expect.anything() }),
        );
        expect(container.resources.limits).toEqual(expect.objectContaining({ memory: expect.anything() }));
      }
    });

    test('one ServiceAccount per component, no RBAC granted and no token mounted', () => {
      for (const kind of ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'])
        expect(byKind(rendered[set], kind)).toEqual([]);
      for (const deployment of appDeployments(set)) {
        const account = deployment.spec.template.spec.serviceAccountName;
        expect(account).toBe(deployment.metadata.name);
        const sa = byKind(rendered[set], 'ServiceAccount').find((s) => s.metadata.name === account);
        expect(sa?.automountServiceAccountToken).toBe(false);
      }
    });

    test('no plaintext secret in any ConfigMap or env; secrets only by reference to existing Secrets', () => {
      expect(byKind(rendered[set], 'Secret')).toEqual([]);
      // Names that would hold secret material; *_URL, *_PATH and *_TTL_SECONDS only point at or describe it.
      const looksSecret = (name: string) =>
        /PASSWORD|SECRET|TOKEN|ENCRYPTION_KEY|PRIVATE|CREDENTIAL/i.test(name) &&
        !/_(URL|PATH|TTL_SECONDS)$/.test(name);
      const secretValue = /-----BEGIN|^[A-Za-z0-9+/]{43}=$/;
      for (const configMap of byKind(rendered[set], 'ConfigMap')) {
        for (const [key, value] of Object.entries<string>(configMap.data ?? {})) {
          if (key.endsWith('.json')) continue; // the Grafana dashboard
          expect({ configMap: configMap.metadata.name, key, secretName: looksSecret(key) }).toMatchObject({
            secretName: false,
          });
          expect({
            configMap: configMap.metadata.name,
            key,
            secretValue: secretValue.test(value),
          }).toMatchObject({ secretValue: false });
        }
      }
      for (const { owner, container } of containersOf(set)) {
        for (const variable of container.env ?? []) {
          if (looksSecret(variable.name)) {
            expect({
              owner,
              name: variable.name,
              value: variable.value,
              ref: variable.valueFrom?.secretKeyRef?.name,
            }).toEqual({
              owner,
              name: variable.name,
              value: undefined,
              ref: expect.any(String),
            });
          }
          if (variable.value) expect(secretValue.test(variable.value)).toBe(false);
        }
      }
      const auth = appDeployments(set).find((d) => component(d) === 'auth')!;
      expect(envOf(auth.spec.template.spec.containers[0]).AUTH_KEY_ENCRYPTION_KEY).toEqual({
        secretKeyRef: { name: 'fapiao-auth', key: 'key-encryption-key' },
      });
      const taxBridge = appDeployments(set).find((d) => component(d) === 'tax-bridge')!;
      expect(taxBridge.spec.template.spec.volumes).toContainEqual(
        expect.objectContaining({ secret: expect.objectContaining({ secretName: 'fapiao-tax-client' }) }),
      );
    });

    test('hook weights run migrations before topics before the apps', () => {
      const hooks = rendered[set]
        .filter(isHook)
        .filter((o) => o.metadata.annotations!['helm.sh/hook'] !== 'test');
      const weight = (o: K8sObject) => Number(o.metadata.annotations!['helm.sh/hook-weight']);
      for (const hook of hooks)
        expect(hook.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      const migrations = hooks.filter((h) => h.kind === 'Job' && h.metadata.name.endsWith('-migrate'));
      const topics = hooks.filter((h) => h.kind === 'Job' && h.metadata.name.endsWith('-kafka-topics'));
      expect(migrations.map(component).sort()).toEqual(appDeployments(set).map(component).sort());
      expect(topics).toHaveLength(1);
      for (const migration of migrations) expect(weight(migration)).toBeLessThan(weight(topics[0]));
      // Apps are ordinary resources: Helm installs them only after every pre-install hook succeeded.
      for (const deployment of appDeployments(set)) expect(isHook(deployment)).toBe(false);
      for (const migration of migrations) {
        const container = migration.spec.template.spec.containers[0];
        expect(container.command).toEqual(['node', `dist/apps/${component(migration)}/src/migrate.js`]);
      }
      expect(topics[0].spec.template.spec.containers[0].command).toEqual([
        'node',
        'dist/libs/platform/messaging/src/cli/create-topics.js',
      ]);
    });

    test('hook Jobs need nothing that is installed after them (helm install on an empty namespace)', () => {
      const hooks = rendered[set].filter(isHook);
      const weight = (o: K8sObject) => Number(o.metadata.annotations!['helm.sh/hook-weight'] ?? 0);
      const renderedNames = new Map(rendered[set].map((o) => [`${o.kind}/${o.metadata.name}`, o]));
      for (const job of byKind(hooks, 'Job')) {
        const pod = job.spec.template.spec;
        const needs = [
          `ServiceAccount/${pod.serviceAccountName}`,
          ...pod.containers.flatMap((c: K8sObject) =>
            (c.envFrom ?? []).map((e: K8sObject) => `ConfigMap/${e.configMapRef?.name}`),
          ),
          ...pod.containers.flatMap((c: K8sObject) =>
            (c.env ?? [])
              .filter((e: K8sObject) => e.valueFrom?.configMapKeyRef)
              .map((e: K8sObject) => `ConfigMap/${e.valueFrom.configMapKeyRef.name}`),
          ),
          ...(pod.volumes ?? [])
            .filter((v: K8sObject) => v.configMap)
            .map((v: K8sObject) => `ConfigMap/${v.configMap.name}`),
        ];
        for (const need of needs) {
          const provider = renderedNames.get(need);
          // Either pre-existing (created by the platform team) or a hook of lower weight.
          if (provider)
            expect({
              job: job.metadata.name,
              need,
              earlierHook: isHook(provider) && weight(provider) < weight(job),
            }).toMatchObject({ earlierHook: true });
        }
        expect(pod.serviceAccountName).toBeDefined();
      }
    });

    test('OpenTelemetry environment points every component at the configured endpoint', () => {
      const endpoint = {
        default: 'http://jaeger-collector:4318',
        'values-dev.yaml': 'http://jaeger:4318',
        'values-full.yaml': 'http://otel-collector.observability:4318',
      }[set];
      for (const deployment of appDeployments(set)) {
        const config = configMapOf(set, deployment.metadata.name);
        expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(endpoint);
        expect(config.OTEL_SERVICE_NAME).toBe(component(deployment));
        const attributes = envOf(deployment.spec.template.spec.containers[0]).OTEL_RESOURCE_ATTRIBUTES;
        expect(attributes).toEqual(expect.stringContaining('service.namespace=fapiao'));
        expect(attributes).toEqual(expect.stringContaining('k8s.pod.name=$(K8S_POD_NAME)'));
      }
    });

    test('every service gets the environment it validates at boot', () => {
      for (const deployment of appDeployments(set)) {
        const name = component(deployment)!;
        const config = configMapOf(set, deployment.metadata.name);
        const env = envOf(deployment.spec.template.spec.containers[0]);
        const required = [
          'PORT',
          'DB_HOST',
          'DB_PORT',
          'DB_USER',
          'DB_NAME',
          'DB_POOL_SIZE',
          'AUTH_ISSUER',
          'AUTH_AUDIENCE',
          'AUTH_JWKS_URL',
          'LOG_LEVEL',
          'SHUTDOWN_GRACE_MS',
          'OTEL_SERVICE_NAME',
        ];
        // auth and the simulator use no Kafka (kafka-acls.ts): they get no Kafka settings.
        if (!['auth', 'tax-authority-sim'].includes(name)) required.push('KAFKA_BROKERS', 'KAFKA_CLIENT_ID');
        if (name === 'auth') required.push('AUTH_TOKEN_TTL_SECONDS');
        if (name === 'tax-bridge')
          required.push('TAX_AUTHORITY_URL', 'TAX_CLIENT_CERT_PATH', 'TAX_CLIENT_KEY_PATH');
        for (const key of required)
          expect({ name, key, present: key in config }).toMatchObject({ present: true });
        expect(env.DB_PASSWORD).toEqual({ secretKeyRef: { name: 'fapiao-db', key: name } });
        if (['auth', 'tax-authority-sim'].includes(name)) expect(config).not.toHaveProperty('KAFKA_BROKERS');
        expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(Number(config.PORT));
      }
    });
  });

  describe('values', () => {
    test('the simulator is off by default and on in values-dev.yaml, where tax-bridge calls it', () => {
      expect(rendered.default.map(component)).not.toContain('tax-authority-sim');
      expect(rendered['values-dev.yaml'].map(component)).toContain('tax-authority-sim');
      const devTax = configMapOf('values-dev.yaml', 'fapiao-tax-bridge');
      expect(devTax.TAX_AUTHORITY_URL).toBe('http://fapiao-tax-authority-sim:3010');
      // Bound to the pod's address, it starts only with the admin token of its control API.
      const sim = byKind(rendered['values-dev.yaml'], 'Deployment').find(
        (d) => d.metadata.name === 'fapiao-tax-authority-sim',
      )!;
      expect(sim.spec.template.spec.containers[0].env).toContainEqual({
        name: 'SIM_ADMIN_TOKEN',
        valueFrom: { secretKeyRef: { name: 'fapiao-sim-admin', key: 'token' } },
      });
    });

    test('Kafka topic partitions, replication, min.insync.replicas and retention come from values', () => {
      const topicEnv = (set: ValuesSet) => {
        const job = byKind(rendered[set], 'Job').find((j) => j.metadata.name.endsWith('-kafka-topics'))!;
        const env = envOf(job.spec.template.spec.containers[0]);
        return [
          env.KAFKA_TOPIC_PARTITIONS,
          env.KAFKA_TOPIC_REPLICATION_FACTOR,
          env.KAFKA_TOPIC_MIN_INSYNC_REPLICAS,
          env.KAFKA_TOPIC_RETENTION_HOURS,
          env.KAFKA_DLQ_RETENTION_HOURS,
        ];
      };
      expect(topicEnv('default')).toEqual(['6', '3', '2', '168', '720']);
      expect(topicEnv('values-dev.yaml')).toEqual(['3', '1', '1', '168', '720']);
    });

    test('optional features are off by default and all on in values-full.yaml', () => {
      const optional = [
        'NetworkPolicy',
        'ServiceMonitor',
        'PrometheusRule',
        'Ingress',
        'HTTPRoute',
        'ScaledObject',
      ];
      for (const kind of optional) {
        expect({ kind, count: byKind(rendered.default, kind).length }).toEqual({ kind, count: 0 });
        expect({ kind, count: byKind(rendered['values-full.yaml'], kind).length }).toEqual({
          kind,
          count: expect.any(Number),
        });
        expect(byKind(rendered['values-full.yaml'], kind).length).toBeGreaterThan(0);
      }
      const dashboards = (set: ValuesSet) =>
        byKind(rendered[set], 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard);
      expect(dashboards('default')).toEqual([]);
      const [dashboard] = dashboards('values-full.yaml');
      const json = JSON.parse(dashboard.data['fapiao.json']);
      expect(json.panels.length).toBeGreaterThan(5);
    });

    test('NetworkPolicy denies everything for the release, then allows only the needed flows', () => {
      const policies = byKind(rendered['values-full.yaml'], 'NetworkPolicy');
      const deny = policies.find((p) => p.metadata.name.endsWith('-default-deny'))!;
      expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(deny.spec).not.toHaveProperty('ingress');
      expect(deny.spec).not.toHaveProperty('egress');
      const egress = policies.find((p) => p.metadata.name.endsWith('-egress'))!;
      const ports = egress.spec.egress.flatMap((rule: K8sObject) =>
        (rule.ports ?? []).map((p: K8sObject) => p.port),
      );
      expect(ports).toEqual(expect.arrayContaining([53, 3306, 9092, 4318]));
      const tax = policies.find((p) => p.metadata.name.endsWith('-tax-authority-egress'))!;
      expect(tax.spec.podSelector.matchLabels['app.kubernetes.io/component']).toBe('tax-bridge');
      for (const name of COMPONENTS)
        expect(
          policies.some(
            (p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/component'] === name && p.spec.ingress,
          ),
        ).toBe(true);
    });

    test('PrometheusRule carries the alerts the runbook expects', () => {
      const [rule] = byKind(rendered['values-full.yaml'], 'PrometheusRule');
      const alerts = Object.fromEntries(
        rule.spec.groups.flatMap((g: K8sObject) => g.rules).map((r: K8sObject) => [r.alert, r.expr]),
      );
      expect(Object.keys(alerts).sort()).toEqual([
        'FapiaoHighErrorRate',
        'FapiaoHighLatencyP99',
        'FapiaoKafkaConsumerLag',
        'FapiaoStoreForwardBacklogOld',
        'FapiaoTaxCircuitOpen',
        'FapiaoTaxClientCertificateExpiring',
      ]);
      expect(alerts.FapiaoHighLatencyP99).toMatch(
        /histogram_quantile\(0\.99, .*http_request_duration_seconds_bucket.*\) > 5\s*$/,
      );
      expect(alerts.FapiaoHighErrorRate).toMatch(/status_code=~"5\.\."[\s\S]*> 0\.05\s*$/);
      expect(alerts.FapiaoTaxCircuitOpen).toMatch(/fapiao_tax_circuit_state.*== 2$/);
      expect(alerts.FapiaoStoreForwardBacklogOld).toContain('fapiao_tax_store_forward_oldest_age_seconds');
      expect(alerts.FapiaoKafkaConsumerLag).toContain('fapiao_kafka_consumer_lag');
      expect(alerts.FapiaoTaxClientCertificateExpiring).toMatch(/fapiao_tax_client_cert_expiry_days.*< 30$/);
    });
  });

  describe('values.schema.json', () => {
    // Helm 3 (xeipuuv/gojsonschema) and Helm 4 (santhosh-tekuri/jsonschema) word it differently.
    const additional = (key: string) =>
      new RegExp(`Additional property ${key} is not allowed|additional properties '${key}' not allowed`);
    const rejects = (extra: string[]) => {
      const result = runHelm(templateArgs('default', extra));
      expect(result.status).not.toBe(0);
      return result.stderr;
    };

    test('rejects a misspelled key instead of ignoring it', () => {
      expect(rejects(['--set', 'components.order.replicaz=3'])).toMatch(additional('replicaz'));
      expect(rejects(['--set', 'defaults.autoscalling.enabled=false'])).toMatch(additional('autoscalling'));
      expect(rejects(['--set', 'networkPolicy.enable=true'])).toMatch(additional('enable'));
    });

    test('rejects a misspelled key in a values file', () => {
      const file = join(mkdtempSync(join(tmpdir(), 'fapiao-values-')), 'typo.yaml');
      writeFileSync(file, 'defaults:\n  probes:\n    readiness:\n      periodSecond: 5\n');
      expect(rejects(['-f', file])).toMatch(additional('periodSecond'));
    });

    test('rejects unknown components, weakened hardening and secret values in env', () => {
      expect(rejects(['--set', 'components.billing.enabled=true'])).toMatch(additional('billing'));
      expect(rejects(['--set', 'defaults.securityContext.readOnlyRootFilesystem=false'])).toMatch(
        /readOnlyRootFilesystem/,
      );
      expect(rejects(['--set', 'defaults.env.DB_PASSWORD=hunter2'])).toMatch(/DB_PASSWORD/);
    });

    test('refuses more in-sync replicas than replicas, naming both values', () => {
      expect(rejects(['--set', 'kafka.topics.minInsyncReplicas=4'])).toMatch(
        /kafka\.topics\.minInsyncReplicas \(4\) must not exceed kafka\.topics\.replicationFactor \(3\)/,
      );
    });

    test('a component can switch off a feature its defaults switch on', () => {
      const objects = render('default', ['--set', 'components.order.autoscaling.enabled=false']);
      const order = objects.find((o) => o.kind === 'Deployment' && component(o) === 'order')!;
      expect(order.spec.replicas).toBe(2);
      expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler' && component(o) === 'order')).toBe(
        false,
      );
    });
  });

  describe('Kubernetes schema validation', () => {
    test('a misspelled or misplaced field in a rendered template fails validation', () => {
      const deployment = structuredClone(appDeployments('default')[0]);
      deployment.spec.template.spec.containers[0].readinessProbe.periodSecond = 5;
      const hpa = structuredClone(byKind(rendered.default, 'HorizontalPodAutoscaler')[0]);
      hpa.spec.targetCPUUtilizationPercentage = 80; // autoscaling/v1 field in a v2 object
      const pdb = {
        ...structuredClone(byKind(rendered.default, 'PodDisruptionBudget')[0]),
        apiVersion: 'policy/v1beta2',
      };
      const errors = validateObjects([deployment, hpa, pdb]);
      expect(errors).toEqual([
        expect.stringMatching(/^PodDisruptionBudget\/.*no schema/),
        expect.stringMatching(/^Deployment\/.*periodSecond/),
        expect.stringMatching(/^HorizontalPodAutoscaler\/.*targetCPUUtilizationPercentage/),
      ]);
    });
  });

  describe('NOTES.txt', () => {
    // helm template does not print NOTES; render it as a template of a copy of the chart.
    const notes = (args: string[]) => {
      const copy = mkdtempSync(join(tmpdir(), 'fapiao-notes-'));
      cpSync(chartDir, copy, { recursive: true });
      cpSync(join(chartDir, 'templates/NOTES.txt'), join(copy, 'notes.tpl'));
      writeFileSync(
        join(copy, 'templates/z-notes.yaml'),
        'notes: {{ tpl (.Files.Get "notes.tpl") . | toJson }}\n',
      );
      const result = runHelm(['template', 'fapiao', copy, '--show-only', 'templates/z-notes.yaml', ...args]);
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout.split('notes: ')[1]) as string;
    };

    test('explains how to reach the API, docs, tokens, metrics and traces', () => {
      const text = notes(['-f', join(chartDir, 'values-dev.yaml')]);
      expect(text).toContain('port-forward svc/fapiao-order 3002');
      expect(text).toContain('/docs');
      expect(text).toContain('/oauth/token');
      expect(text).toContain('/metrics');
      expect(text).toContain('http://jaeger:4318');
      expect(text).toContain('helm test fapiao');
      // The dev values' single broker is the only thing worth a warning there.
      expect(text.match(/WARNING: .*/g)).toEqual([expect.stringContaining('replication factor 1')]);
    });

    test('warns about settings that lose data or traces, and says nothing it cannot stand by', () => {
      const text = notes([...REQUIRED_VALUES, '--set', 'otel.endpoint=', '--set', 'tests.enabled=false']);
      expect(text).toContain('WARNING: otel.endpoint is empty');
      expect(text).toContain('Traces: not exported');
      // No helm test pod is rendered, so NOTES does not offer `helm test`; no Jaeger of k8s/ either.
      expect(text).not.toContain('helm test');
      expect(text).not.toContain('svc/jaeger');
      // The tax authority is no longer a warning: an empty URL fails rendering (fail-fast.spec.ts).
      expect(text).not.toContain('taxAuthority.url');
      const withoutPublic = notes([
        ...REQUIRED_VALUES,
        '--set',
        'components.order.enabled=false',
        '--set',
        'components.auth.enabled=false',
      ]);
      expect(withoutPublic).not.toContain('port-forward svc/fapiao-order');
      expect(withoutPublic).not.toContain('/oauth/token');
    });

    test('prints the DB-connection budget and warns when it exceeds database.maxConnections', () => {
      // Defaults: 5 components at maxReplicas (6, 6, 6, 6, 3) plus surge (2, 2, 2, 2, 1), pool 10,
      // plus one migration Job (10 + 1): (8 × 4 + 4) × 10 + 11 = 371.
      const text = notes(REQUIRED_VALUES);
      expect(text).toContain('MySQL connections at peak: 371 ');
      expect(text).not.toMatch(/WARNING: .*MySQL connections/);
      const limited = notes([...REQUIRED_VALUES, '--set', 'database.maxConnections=151']);
      expect(limited).toMatch(
        /WARNING: at peak the release may open 371 MySQL connections, more than database.maxConnections \(151\)/,
      );
      const dev = notes(['-f', join(chartDir, 'values-dev.yaml'), '--set', 'database.maxConnections=151']);
      expect(dev).toContain('MySQL connections at peak: 66 '); // 6 components × (1 + 1 surge) × 5, + 5 + 1
      expect(dev).not.toContain('more than database.maxConnections');
    });

    test('names the components KEDA scales', () => {
      const text = notes(['-f', join(chartDir, 'values-full.yaml')]);
      expect(text).toMatch(/KEDA scales invoice \(ScaledObjects/);
      expect(text).toMatch(/invoice +fapiao-invoice:3003, 2-4 replicas \(KEDA/);
      expect(text).toContain('https://fapiao.example.com/oauth -> auth');
      expect(text).toContain('Through the Gateway (HTTPRoute "fapiao", hosts fapiao.example.com)');
    });
  });

  test('chart sources keep values free of secret material', () => {
    for (const file of ['values.yaml', 'values-dev.yaml', 'values-full.yaml']) {
      const text = readFileSync(join(chartDir, file), 'utf8');
      expect(text).not.toMatch(/-----BEGIN|password:\s*\S/i);
    }
  });
});
