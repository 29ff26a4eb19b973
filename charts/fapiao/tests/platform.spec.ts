// Issue 15, items 4 and 6 (chart side): KEDA on consumer-group lag instead of the HPA, per consumer
// component, with the groups the services really use (read from libs/contracts); and the conventions
// platform teams expect (extra env/volumes/containers, image digest and registry, pull secrets, name
// overrides, common labels/annotations, ServiceAccount choice, NetworkPolicy extras, HTTPRoute, OTel knobs).
import { KAFKA_ACLS, KAFKA_SERVICE_TOPICS } from '@fapiao/contracts';
import {
  HELM_MAJORS,
  type K8sObject,
  byKind,
  component,
  podSpecs,
  render,
  runHelm,
  templateArgs,
  useHelm,
  validateObjects,
} from './helm';

const CONSUMERS = Object.keys(KAFKA_SERVICE_TOPICS);
const kind = (objects: K8sObject[], k: string, name: string) =>
  byKind(objects, k).filter((o) => component(o) === name);

describe.each(HELM_MAJORS)('Helm %i', (major) => {
  beforeAll(() => useHelm(major));

  describe('autoscaling', () => {
    test.each(CONSUMERS)('KEDA mode renders a ScaledObject and no HPA for %s, and only for it', (name) => {
      const objects = render('default', ['--set', `components.${name}.autoscaling.mode=keda`]);
      expect(validateObjects(objects)).toEqual([]);
      expect(kind(objects, 'HorizontalPodAutoscaler', name)).toEqual([]);
      const [scaledObject] = kind(objects, 'ScaledObject', name);
      expect(scaledObject.apiVersion).toBe('keda.sh/v1alpha1');
      expect(scaledObject.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `fapiao-${name}`,
      });
      // Its consumer groups are exactly the ones the service joins (libs/contracts, as the ACLs say).
      const kafka: { metadata: Record<string, string> }[] = scaledObject.spec.triggers.filter(
        (t: { type: string }) => t.type === 'kafka',
      );
      const acl = KAFKA_ACLS.find((a) => a.service === name)!;
      expect(kafka.map((t) => t.metadata.consumerGroup).sort()).toEqual([...acl.groups].sort());
      expect(kafka.map((t) => t.metadata.topic).sort()).toEqual([...acl.reads].sort());
      for (const trigger of kafka)
        expect(trigger.metadata).toMatchObject({ bootstrapServers: 'kafka:9092', lagThreshold: '100' });
      expect(scaledObject.spec).toMatchObject({
        minReplicaCount: expect.any(Number),
        maxReplicaCount: expect.any(Number),
      });
      const deployment = kind(objects, 'Deployment', name)[0];
      expect(deployment.spec).not.toHaveProperty('replicas');
      // Every other component keeps its HPA.
      for (const other of ['auth', ...CONSUMERS.filter((c) => c !== name)])
        expect({ other, hpas: kind(objects, 'HorizontalPodAutoscaler', other).length }).toEqual({
          other,
          hpas: 1,
        });
      expect(byKind(objects, 'ScaledObject')).toHaveLength(1);
    });

    test('KEDA mode is refused for a component that consumes no topic', () => {
      const result = runHelm(templateArgs('default', ['--set', 'components.auth.autoscaling.mode=keda']));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(
        'components.auth.autoscaling.mode is keda, but auth consumes no Kafka topic',
      );
    });

    test('no memory target by default; opt-in per component', () => {
      const targets = (objects: K8sObject[]) =>
        byKind(objects, 'HorizontalPodAutoscaler').map((h) =>
          h.spec.metrics.map((m: K8sObject) => m.resource.name),
        );
      for (const metrics of targets(render('default'))) expect(metrics).toEqual(['cpu']);
      const objects = render('default', [
        '--set',
        'components.invoice.autoscaling.targetMemoryUtilizationPercentage=80',
      ]);
      const invoice = kind(objects, 'HorizontalPodAutoscaler', 'invoice')[0];
      expect(invoice.spec.metrics[1]).toEqual({
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
      });
    });
  });

  describe('platform conventions', () => {
    let full: K8sObject[];
    beforeAll(() => {
      full = render('values-full.yaml');
    });
    const deployment = (objects: K8sObject[], name: string) => kind(objects, 'Deployment', name)[0];

    test('commonLabels and commonAnnotations are on every object', () => {
      for (const o of full) {
        expect({
          o: `${o.kind}/${o.metadata.name}`,
          label: o.metadata.labels?.['example.com/cost-center'],
        }).toEqual({
          o: `${o.kind}/${o.metadata.name}`,
          label: 'invoicing',
        });
        expect({
          o: `${o.kind}/${o.metadata.name}`,
          annotation: o.metadata.annotations?.['example.com/contact'],
        }).toEqual({ o: `${o.kind}/${o.metadata.name}`, annotation: 'platform@example.com' });
      }
      // Hooks keep their own annotations beside the common ones.
      const topics = byKind(full, 'Job').find((j) => j.metadata.name.endsWith('-kafka-topics'))!;
      expect(topics.metadata.annotations!['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    });

    test('extraEnv, extraEnvFrom, extraVolumes and extraVolumeMounts reach the apps and their hook Jobs', () => {
      for (const { owner, spec } of podSpecs(full).filter((p) => !p.owner.startsWith('Pod/'))) {
        const main = spec.containers[0];
        expect({ owner, env: main.env.map((e: K8sObject) => e.name) }).toEqual({
          owner,
          env: expect.arrayContaining(['NODE_EXTRA_CA_CERTS', 'HTTPS_PROXY']),
        });
        expect({
          owner,
          from: main.envFrom?.some((e: K8sObject) => e.configMapRef?.name === 'fapiao-site-settings'),
        }).toEqual({
          owner,
          from: true,
        });
        expect(spec.volumes).toContainEqual({ name: 'extra-ca', configMap: { name: 'corporate-ca' } });
        expect(main.volumeMounts).toContainEqual({
          name: 'extra-ca',
          mountPath: '/etc/fapiao/extra-ca',
          readOnly: true,
        });
      }
      // The chart's ConfigMap comes first, so an extraEnvFrom source can override its keys.
      expect(deployment(full, 'auth').spec.template.spec.containers[0].envFrom[0]).toEqual({
        configMapRef: { name: 'fapiao-auth' },
      });
    });

    test('initContainers and sidecars are added to the component’s pods only', () => {
      const order = deployment(full, 'order').spec.template.spec;
      expect(order.initContainers.map((c: K8sObject) => c.name)).toEqual(['wait-for-site-settings']);
      expect(order.containers.map((c: K8sObject) => c.name)).toEqual(['order', 'log-shipper']);
      const invoice = deployment(full, 'invoice').spec.template.spec;
      expect(invoice.initContainers).toBeUndefined();
      expect(invoice.containers).toHaveLength(1);
    });

    test('per-component image digest, global.imageRegistry and imagePullSecrets', () => {
      const image = (objects: K8sObject[], name: string) =>
        deployment(objects, name).spec.template.spec.containers[0].image;
      expect(image(full, 'order')).toBe(
        'registry.example.com/fapiao/fapiao-order@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      );
      expect(image(full, 'invoice')).toBe('registry.example.com/fapiao/fapiao-invoice:0.1.0');
      const global = render('values-full.yaml', [
        '--set',
        'global.imageRegistry=mirror.example.cn',
        '--set',
        'components.invoice.image.repository=platform/invoice',
        '--set',
        'components.invoice.image.tag=0.1.1',
      ]);
      expect(image(global, 'invoice')).toBe('mirror.example.cn/platform/invoice:0.1.1');
      expect(image(global, 'auth')).toBe('mirror.example.cn/fapiao-auth:0.1.0');
      for (const { owner, spec } of podSpecs(full))
        expect({ owner, secrets: spec.imagePullSecrets }).toEqual({
          owner,
          secrets: [{ name: 'registry-credentials' }],
        });
    });

    test('nameOverride and fullnameOverride rename every object, and selectors follow', () => {
      const renamed = render('default', ['--set', 'fullnameOverride=einvoice']);
      expect(
        byKind(renamed, 'Deployment')
          .map((d) => d.metadata.name)
          .sort(),
      ).toEqual(['auth', 'invoice', 'order', 'reconciliation', 'tax-bridge'].map((n) => `einvoice-${n}`));
      const named = render('default', ['--set', 'nameOverride=einvoice']);
      const order = deployment(named, 'order');
      expect(order.metadata.name).toBe('fapiao-einvoice-order');
      expect(order.spec.selector.matchLabels['app.kubernetes.io/name']).toBe('einvoice');
      expect(order.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('einvoice');
    });

    test('serviceAccount.create/name: per component, one shared, or an existing one', () => {
      const accounts = (objects: K8sObject[]) =>
        byKind(objects, 'Deployment').map((d) => d.spec.template.spec.serviceAccountName);
      const shared = render('default', ['--set', 'serviceAccount.name=fapiao-runtime']);
      expect(new Set(accounts(shared))).toEqual(new Set(['fapiao-runtime']));
      expect(
        byKind(shared, 'ServiceAccount')
          .map((s) => s.metadata.name)
          .sort(),
      ).toEqual(['fapiao-hooks', 'fapiao-runtime']);
      const existing = render('default', [
        '--set',
        'serviceAccount.create=false',
        '--set',
        'serviceAccount.name=platform-sa',
      ]);
      expect(byKind(existing, 'ServiceAccount')).toEqual([]);
      expect(new Set(podSpecs(existing).map((p) => p.spec.serviceAccountName))).toEqual(
        new Set(['platform-sa']),
      );
    });

    test('networkPolicy.extraIngress and extraEgress are appended to the policies', () => {
      const policies = byKind(full, 'NetworkPolicy');
      const egress = policies.find((p) => p.metadata.name.endsWith('-egress'))!;
      expect(egress.spec.egress.at(-1)).toEqual({
        to: [{ ipBlock: { cidr: '10.30.0.10/32' } }],
        ports: [{ port: 3128, protocol: 'TCP' }],
      });
      const perComponent = policies.filter(
        (p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/component'],
      );
      for (const policy of perComponent.filter((p) => p.spec.ingress))
        expect(policy.spec.ingress.at(-1).ports).toEqual([{ port: 15090, protocol: 'TCP' }]);
    });

    test('Gateway API HTTPRoute routes paths to the components’ Services', () => {
      const [route] = byKind(full, 'HTTPRoute');
      expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(route.spec.parentRefs).toEqual([
        { name: 'public', namespace: 'gateway-system', sectionName: 'https' },
      ]);
      expect(route.spec.hostnames).toEqual(['fapiao.example.com']);
      expect(route.spec.rules.map((r: K8sObject) => [r.matches[0].path.value, r.backendRefs[0]])).toEqual([
        ['/oauth', { name: 'fapiao-auth', port: 3001 }],
        ['/.well-known', { name: 'fapiao-auth', port: 3001 }],
        ['/', { name: 'fapiao-order', port: 3002 }],
      ]);
      const result = runHelm(templateArgs('default', ['--set', 'httpRoute.enabled=true']));
      expect(result.stderr).toContain('httpRoute.parentRefs is empty');
    });

    test('OTel sampler and deployment.environment.name', () => {
      const config = byKind(full, 'ConfigMap').find((c) => c.metadata.name === 'fapiao-order')!.data;
      expect(config).toMatchObject({
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      });
      const env = deployment(full, 'order').spec.template.spec.containers[0].env;
      const attributes = env.find((e: K8sObject) => e.name === 'OTEL_RESOURCE_ATTRIBUTES').value;
      expect(attributes).toContain('deployment.environment.name=staging');
      const defaults = render('default', ['--set', 'otel.deploymentEnvironmentName=prod-cn-east']);
      const defaultConfig = byKind(defaults, 'ConfigMap').find(
        (c) => c.metadata.name === 'fapiao-order',
      )!.data;
      expect(defaultConfig).not.toHaveProperty('OTEL_TRACES_SAMPLER');
      expect(
        deployment(defaults, 'order').spec.template.spec.containers[0].env.find(
          (e: K8sObject) => e.name === 'OTEL_RESOURCE_ATTRIBUTES',
        ).value,
      ).toContain('deployment.environment.name=prod-cn-east');
    });
  });
});
