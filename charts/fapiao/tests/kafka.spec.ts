// Issue 15 item 5 (secured and shared Kafka) and the metrics port of item 6, on the rendered chart (Helm 3
// and 4): SASL/TLS as Secret files, one Kafka user per service, the prefix in every topic and group name —
// checked by running the services' own Kafka code with the ConfigMaps the chart renders — KEDA triggers
// and their TriggerAuthentication, the topic modes (job, strimzi, none), KafkaUsers whose ACLs are
// libs/contracts' own, and /metrics on a port the Ingress never routes to.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_TOPICS,
  consumerGroup,
  deadLetterTopic,
  KAFKA_SERVICE_TOPICS,
  kafkaAcls,
  retryConsumerGroup,
  retryTopic,
  type KafkaService,
} from '@fapiao/contracts';
import { kafkaNamesUsedBy } from '../../../libs/platform/messaging/src/kafka-names.test-kit';
import {
  HELM_MAJORS,
  type K8sObject,
  byKind,
  chartDir,
  component,
  podSpecs,
  render,
  runHelm,
  templateArgs,
  useHelm,
  validateObjects,
} from './helm';

const CONSUMERS = Object.keys(KAFKA_SERVICE_TOPICS) as KafkaService[];
const ACLS_FILE = join(chartDir, 'files/kafka-acls.json');
const PREFIX = 'team-a.';

/** files/kafka-acls.json as libs/contracts/src/kafka-acls.ts makes it (the chart reads the file). */
function expectedAclsFile(): string {
  const services = Object.fromEntries(
    Object.entries(KAFKA_SERVICE_TOPICS).map(([service, { produces, consumes }]) => [
      service,
      {
        consumes: [...consumes],
        writes: [...produces, ...consumes.flatMap((topic) => [retryTopic(topic), deadLetterTopic(topic)])],
        reads: consumes.flatMap((topic) => [topic, retryTopic(topic)]),
        groups: consumes.flatMap((topic) => {
          const group = consumerGroup(service, topic);
          return [group, retryConsumerGroup(group)];
        }),
      },
    ]),
  );
  const generatedFrom =
    'libs/contracts/src/kafka-acls.ts: regenerate with UPDATE_CHART_FILES=1 and the chart spec kafka.spec.ts; do not edit';
  return `${JSON.stringify({ generatedFrom, topics: [...ALL_TOPICS], services }, null, 2)}\n`;
}

const configMapOf = (objects: K8sObject[], name: string): Record<string, string> =>
  byKind(objects, 'ConfigMap').find((c) => component(c) === name)?.data ?? {};
const deploymentOf = (objects: K8sObject[], name: string) =>
  byKind(objects, 'Deployment').find((d) => component(d) === name)!;
const topicJob = (objects: K8sObject[]) =>
  byKind(objects, 'Job').find((j) => j.metadata.name.endsWith('-kafka-topics'));
const envOf = (container: K8sObject): Record<string, string> =>
  Object.fromEntries((container.env ?? []).map((e: K8sObject) => [e.name, e.value]));
const kafkaTriggers = (scaledObject: K8sObject): Record<string, string>[] =>
  scaledObject.spec.triggers
    .filter((t: { type: string }) => t.type === 'kafka')
    .map((t: { metadata: Record<string, string> }) => t.metadata);
/** Strimzi has no schema package on npm: its objects are checked field by field below instead. */
const validatable = (objects: K8sObject[]) =>
  objects.filter((o) => !o.apiVersion.startsWith('kafka.strimzi.io/'));
const failure = (extra: string[]) => {
  const result = runHelm(templateArgs('default', extra));
  expect(result.status).not.toBe(0);
  return result.stderr;
};

const SASL = [
  '--set',
  'kafka.sasl.mechanism=scram-sha-512',
  '--set',
  'kafka.sasl.existingSecret=fapiao-kafka',
  '--set',
  'kafka.tls.enabled=true',
  '--set',
  'kafka.tls.caSecret=kafka-ca',
];
const ALL_KEDA = CONSUMERS.flatMap((name) => ['--set', `components.${name}.autoscaling.mode=keda`]);

describe('files/kafka-acls.json', () => {
  it('is what libs/contracts/src/kafka-acls.ts says (UPDATE_CHART_FILES=1 regenerates it; then prettier)', () => {
    if (process.env['UPDATE_CHART_FILES'] === '1') writeFileSync(ACLS_FILE, expectedAclsFile());
    expect(JSON.parse(readFileSync(ACLS_FILE, 'utf8'))).toEqual(JSON.parse(expectedAclsFile()));
  });
});

describe.each(HELM_MAJORS)('Helm %i', (major) => {
  beforeAll(() => useHelm(major));

  describe('a topic and consumer-group prefix (kafka.prefix)', () => {
    let objects: K8sObject[];
    beforeAll(() => {
      objects = render('default', ['--set', `kafka.prefix=${PREFIX}`, ...ALL_KEDA]);
    });

    it('renders valid objects', () => {
      expect(validateObjects(objects)).toEqual([]);
    });

    test.each(CONSUMERS)(
      '%s: the services’ own Kafka code, run with the rendered ConfigMap, uses only prefixed names — exactly its ACLs',
      async (name) => {
        const config = configMapOf(objects, name);
        expect(config['KAFKA_PREFIX']).toBe(PREFIX);
        const used = await kafkaNamesUsedBy(name, config);
        const names = [...used.topics, ...used.groups];
        expect(names.filter((n) => !n.startsWith(PREFIX))).toEqual([]);
        const acl = kafkaAcls(PREFIX).find((a) => a.service === name)!;
        expect([...used.groups].sort()).toEqual([...acl.groups].sort());
      },
    );

    test.each(CONSUMERS)(
      '%s: every KEDA trigger names a prefixed group and topic the service uses',
      (name) => {
        const [scaledObject] = byKind(objects, 'ScaledObject').filter((o) => component(o) === name);
        const triggers = kafkaTriggers(scaledObject);
        const acl = kafkaAcls(PREFIX).find((a) => a.service === name)!;
        expect(triggers.map((t) => t.consumerGroup).sort()).toEqual([...acl.groups].sort());
        expect(triggers.map((t) => t.topic).sort()).toEqual([...acl.reads].sort());
      },
    );

    it('reaches the topic Job, and every rendered KAFKA_PREFIX is the same', () => {
      const job = topicJob(objects)!;
      expect(envOf(job.spec.template.spec.containers[0])['KAFKA_PREFIX']).toBe(PREFIX);
      for (const config of byKind(objects, 'ConfigMap')) {
        if (config.data?.['KAFKA_BROKERS']) expect(config.data['KAFKA_PREFIX']).toBe(PREFIX);
      }
    });

    it('is empty by default: today’s names', async () => {
      const plain = render('default');
      expect(configMapOf(plain, 'order')['KAFKA_PREFIX']).toBe('');
      const used = await kafkaNamesUsedBy('order', configMapOf(plain, 'order'));
      expect([...used.topics].every((topic) => topic.startsWith('fapiao.'))).toBe(true);
    });

    it('refuses a prefix that cannot be part of a topic name', () => {
      expect(failure(['--set', 'kafka.prefix=team a/'])).toMatch(/kafka\.prefix|prefix/);
    });
  });

  describe('SASL and TLS', () => {
    let objects: K8sObject[];
    beforeAll(() => {
      objects = render('default', [
        ...SASL,
        '--set',
        'kafka.tls.clientCertSecret=kafka-client',
        '--set',
        'components.order.kafkaSasl.existingSecret=fapiao-kafka-order',
        ...ALL_KEDA,
      ]);
    });

    it('renders valid objects', () => {
      expect(validateObjects(objects)).toEqual([]);
    });

    test.each(CONSUMERS)(
      '%s: credentials and certificates as files from Secrets, never as values',
      (name) => {
        expect(configMapOf(objects, name)).toMatchObject({
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME_FILE: '/etc/fapiao/kafka/sasl/username',
          KAFKA_SASL_PASSWORD_FILE: '/etc/fapiao/kafka/sasl/password',
          KAFKA_SSL: 'true',
          KAFKA_SSL_CA_FILE: '/etc/fapiao/kafka/ca/ca.crt',
          KAFKA_SSL_CERT_FILE: '/etc/fapiao/kafka/client/tls.crt',
          KAFKA_SSL_KEY_FILE: '/etc/fapiao/kafka/client/tls.key',
        });
        const pod = deploymentOf(objects, name).spec.template.spec;
        const volumes = Object.fromEntries(pod.volumes.map((v: K8sObject) => [v.name, v.secret]));
        // One Kafka user per service: order has its own Secret, the others the release's default.
        expect(volumes['kafka-sasl']).toMatchObject({
          secretName: name === 'order' ? 'fapiao-kafka-order' : 'fapiao-kafka',
          items: [
            { key: 'username', path: 'username' },
            { key: 'password', path: 'password' },
          ],
        });
        expect(volumes['kafka-ca']).toMatchObject({
          secretName: 'kafka-ca',
          items: [{ key: 'ca.crt', path: 'ca.crt' }],
        });
        expect(volumes['kafka-client-cert']).toMatchObject({ secretName: 'kafka-client' });
        const mounts = pod.containers[0].volumeMounts.map((m: K8sObject) => m.mountPath);
        expect(mounts).toEqual(
          expect.arrayContaining([
            '/etc/fapiao/kafka/sasl',
            '/etc/fapiao/kafka/ca',
            '/etc/fapiao/kafka/client',
          ]),
        );
      },
    );

    it('auth and the simulator get no Kafka settings (they use no Kafka)', () => {
      expect(configMapOf(objects, 'auth')['KAFKA_BROKERS']).toBeUndefined();
      const volumes = deploymentOf(objects, 'auth').spec.template.spec.volumes.map((v: K8sObject) => v.name);
      expect(volumes).not.toContain('kafka-sasl');
    });

    it('the topic Job connects with the same settings (the release’s default user)', () => {
      const job = topicJob(objects)!;
      const env = envOf(job.spec.template.spec.containers[0]);
      expect(env).toMatchObject({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_PASSWORD_FILE: '/etc/fapiao/kafka/sasl/password',
        KAFKA_SSL_CA_FILE: '/etc/fapiao/kafka/ca/ca.crt',
      });
      const volumes = job.spec.template.spec.volumes.map((v: K8sObject) => [v.name, v.secret?.secretName]);
      expect(volumes).toEqual(
        expect.arrayContaining([
          ['kafka-sasl', 'fapiao-kafka'],
          ['kafka-ca', 'kafka-ca'],
        ]),
      );
    });

    test.each(CONSUMERS)(
      '%s: KEDA reads lag with the service’s own credentials (TriggerAuthentication)',
      (name) => {
        const [scaledObject] = byKind(objects, 'ScaledObject').filter((o) => component(o) === name);
        const [auth] = byKind(objects, 'TriggerAuthentication').filter((o) => component(o) === name);
        for (const trigger of scaledObject.spec.triggers.filter((t: K8sObject) => t.type === 'kafka')) {
          expect(trigger.authenticationRef).toEqual({ name: auth.metadata.name });
          expect(trigger.metadata).toMatchObject({ sasl: 'scram_sha512', tls: 'enable' });
        }
        const secret = name === 'order' ? 'fapiao-kafka-order' : 'fapiao-kafka';
        expect(auth.spec.secretTargetRef).toEqual([
          { parameter: 'username', name: secret, key: 'username' },
          { parameter: 'password', name: secret, key: 'password' },
          { parameter: 'ca', name: 'kafka-ca', key: 'ca.crt' },
          { parameter: 'cert', name: 'kafka-client', key: 'tls.crt' },
          { parameter: 'key', name: 'kafka-client', key: 'tls.key' },
        ]);
      },
    );

    it('passes OAUTHBEARER’s token endpoint and scope; the client id and secret stay in the Secret', () => {
      const oauth = render('default', [
        '--set',
        'kafka.sasl.mechanism=oauthbearer',
        '--set',
        'kafka.sasl.existingSecret=fapiao-kafka',
        '--set',
        'kafka.sasl.oauthbearer.tokenUrl=https://idp.example.com/token',
        '--set',
        'kafka.sasl.oauthbearer.scope=kafka',
      ]);
      expect(configMapOf(oauth, 'invoice')).toMatchObject({
        KAFKA_SASL_MECHANISM: 'oauthbearer',
        KAFKA_SASL_OAUTHBEARER_TOKEN_URL: 'https://idp.example.com/token',
        KAFKA_SASL_OAUTHBEARER_SCOPE: 'kafka',
        KAFKA_SASL_USERNAME_FILE: '/etc/fapiao/kafka/sasl/username',
      });
    });

    describe('fails fast, naming the values, when half-configured', () => {
      test.each([
        [
          'a mechanism without a Secret',
          ['--set', 'kafka.sasl.mechanism=scram-sha-256'],
          /kafka\.sasl\.mechanism is scram-sha-256, but no Secret holds the Kafka credentials of components\.\w+: set kafka\.sasl\.existingSecret/,
        ],
        [
          'a Secret without a mechanism',
          ['--set', 'kafka.sasl.existingSecret=fapiao-kafka'],
          /a Kafka SASL Secret \(fapiao-kafka\) is set for .*, but kafka\.sasl\.mechanism is empty/,
        ],
        [
          'a component’s own Secret without a mechanism',
          ['--set', 'components.invoice.kafkaSasl.existingSecret=invoice-kafka'],
          /a Kafka SASL Secret \(invoice-kafka\) is set for components\.invoice, but kafka\.sasl\.mechanism is empty/,
        ],
        [
          'a CA without TLS',
          ['--set', 'kafka.tls.caSecret=kafka-ca'],
          /kafka\.tls\.caSecret is set, but kafka\.tls\.enabled is false/,
        ],
        [
          'a client certificate without TLS',
          ['--set', 'kafka.tls.clientCertSecret=kafka-client'],
          /kafka\.tls\.clientCertSecret is set, but kafka\.tls\.enabled is false/,
        ],
        [
          'OAUTHBEARER without a token endpoint',
          ['--set', 'kafka.sasl.mechanism=oauthbearer', '--set', 'kafka.sasl.existingSecret=s'],
          /tokenUrl/,
        ],
        [
          'an unknown mechanism',
          ['--set', 'kafka.sasl.mechanism=gssapi', '--set', 'kafka.sasl.existingSecret=s'],
          /mechanism/,
        ],
        [
          'KEDA with OAUTHBEARER and no TriggerAuthentication of its own',
          [
            '--set',
            'kafka.sasl.mechanism=oauthbearer',
            '--set',
            'kafka.sasl.existingSecret=s',
            '--set',
            'kafka.sasl.oauthbearer.tokenUrl=https://idp.example.com/token',
            '--set',
            'components.invoice.autoscaling.mode=keda',
          ],
          /components\.invoice\.autoscaling\.mode is keda with SASL OAUTHBEARER: .*authenticationRef/,
        ],
      ])('%s', (_what, extra, message) => {
        expect(failure(extra)).toMatch(message);
      });
    });
  });

  describe('kafka.topics.mode', () => {
    it('job (the default): the hook Job, no KafkaTopic', () => {
      const objects = render('default');
      expect(topicJob(objects)).toBeDefined();
      expect(byKind(objects, 'KafkaTopic')).toEqual([]);
    });

    test.each([
      ['none', ['--set', 'kafka.topics.mode=none']],
      ['kafka.topics.create=false (deprecated)', ['--set', 'kafka.topics.create=false']],
    ])('%s: neither a Job nor KafkaTopics', (_what, extra) => {
      const objects = render('default', extra);
      expect(topicJob(objects)).toBeUndefined();
      expect(byKind(objects, 'KafkaTopic')).toEqual([]);
      expect(validateObjects(objects)).toEqual([]);
    });

    it('strimzi: one KafkaTopic per topic, prefixed, with the Job’s configs, and no Job', () => {
      const objects = render('default', [
        '--set',
        'kafka.topics.mode=strimzi',
        '--set',
        'kafka.strimzi.cluster=main',
        '--set',
        `kafka.prefix=${PREFIX}`,
      ]);
      expect(topicJob(objects)).toBeUndefined();
      expect(validateObjects(validatable(objects))).toEqual([]);
      const topics = byKind(objects, 'KafkaTopic');
      expect(topics.map((t) => t.spec.topicName).sort()).toEqual(
        ALL_TOPICS.map((t) => `${PREFIX}${t}`).sort(),
      );
      const dlq = topics.find((t) => t.spec.topicName === `${PREFIX}fapiao.orders.v1.dlq`)!;
      expect(dlq).toMatchObject({
        apiVersion: 'kafka.strimzi.io/v1beta2',
        metadata: { labels: { 'strimzi.io/cluster': 'main' } },
        spec: {
          partitions: 6,
          replicas: 3,
          config: {
            'retention.ms': String(720 * 3_600_000),
            'min.insync.replicas': '2',
            'cleanup.policy': 'delete',
          },
        },
      });
      for (const topic of topics) expect(topic.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
    });

    it('strimzi needs the cluster’s name', () => {
      expect(failure(['--set', 'kafka.topics.mode=strimzi'])).toMatch(/kafka\.strimzi\.cluster is empty/);
    });
  });

  describe('Strimzi KafkaUsers (kafka.strimzi.users)', () => {
    let objects: K8sObject[];
    beforeAll(() => {
      objects = render('default', [
        '--set',
        'kafka.topics.mode=strimzi',
        '--set',
        'kafka.strimzi.cluster=main',
        '--set',
        'kafka.strimzi.users=true',
        '--set',
        'kafka.sasl.mechanism=scram-sha-512',
        '--set',
        `kafka.prefix=${PREFIX}`,
      ]);
    });

    it('one per Kafka-using component, with exactly the ACLs of libs/contracts on the prefixed names', () => {
      const users = byKind(objects, 'KafkaUser');
      expect(users.map((u) => component(u)).sort()).toEqual([...CONSUMERS].sort());
      for (const acl of kafkaAcls(PREFIX)) {
        const user = users.find((u) => component(u) === acl.service)!;
        expect(user.spec.authentication).toEqual({ type: 'scram-sha-512' });
        const rows = (user.spec.authorization.acls as K8sObject[]).map((a) => [
          a.operations.join(','),
          a.resource.type,
          a.resource.name,
          a.resource.patternType,
        ]);
        expect(rows.sort()).toEqual(
          [
            ...acl.writes.map((n) => ['Write', 'topic', n, 'literal']),
            ...acl.reads.map((n) => ['Read', 'topic', n, 'literal']),
            ...acl.groups.map((n) => ['Read', 'group', n, 'literal']),
          ].sort(),
        );
      }
    });

    test.each(CONSUMERS)('%s connects as its KafkaUser (name and Strimzi’s Secret)', (name) => {
      const user = `fapiao-${name}`;
      expect(configMapOf(objects, name)).toMatchObject({
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: user,
        KAFKA_SASL_PASSWORD_FILE: '/etc/fapiao/kafka/sasl/password',
      });
      const pod = deploymentOf(objects, name).spec.template.spec;
      const sasl = pod.volumes.find((v: K8sObject) => v.name === 'kafka-sasl');
      expect(sasl.secret).toMatchObject({ secretName: user, items: [{ key: 'password', path: 'password' }] });
    });

    it('mutual TLS users present their certificate instead', () => {
      const tls = render('default', [
        '--set',
        'kafka.strimzi.cluster=main',
        '--set',
        'kafka.strimzi.users=true',
        '--set',
        'kafka.strimzi.authentication=tls',
        '--set',
        'kafka.tls.enabled=true',
      ]);
      expect(configMapOf(tls, 'invoice')['KAFKA_SASL_MECHANISM']).toBeUndefined();
      const pod = deploymentOf(tls, 'invoice').spec.template.spec;
      expect(pod.volumes.find((v: K8sObject) => v.name === 'kafka-client-cert').secret).toMatchObject({
        secretName: 'fapiao-invoice',
        items: [
          { key: 'user.crt', path: 'tls.crt' },
          { key: 'user.key', path: 'tls.key' },
        ],
      });
    });

    it('a SCRAM user needs kafka.sasl.mechanism=scram-sha-512', () => {
      expect(failure(['--set', 'kafka.strimzi.cluster=main', '--set', 'kafka.strimzi.users=true'])).toMatch(
        /kafka\.strimzi\.users with authentication scram-sha-512 needs kafka\.sasl\.mechanism=scram-sha-512/,
      );
    });
  });

  describe('/metrics on its own port (metrics.port)', () => {
    let objects: K8sObject[];
    beforeAll(() => {
      objects = render('default', [
        '--set',
        'ingress.enabled=true',
        '--set',
        'ingress.hosts[0].host=fapiao.example.com',
        '--set',
        'ingress.hosts[0].paths[0].path=/v1/orders',
        '--set',
        'ingress.hosts[0].paths[0].pathType=Prefix',
        '--set',
        'ingress.hosts[0].paths[0].component=order',
        '--set',
        'ingress.hosts[0].paths[1].path=/oauth',
        '--set',
        'ingress.hosts[0].paths[1].pathType=Prefix',
        '--set',
        'ingress.hosts[0].paths[1].component=auth',
        '--set',
        'metrics.serviceMonitor.enabled=true',
        '--set',
        'networkPolicy.enabled=true',
        '--set',
        'networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.name=monitoring',
      ]);
    });

    it('is not reachable through the Ingress’s backend port', () => {
      expect(validateObjects(objects)).toEqual([]);
      const [ingress] = byKind(objects, 'Ingress');
      const backends = ingress.spec.rules.flatMap((r: K8sObject) =>
        r.http.paths.map((p: K8sObject) => p.backend.service),
      );
      expect(backends.length).toBeGreaterThan(0);
      for (const backend of backends) {
        const service = byKind(objects, 'Service').find((s) => s.metadata.name === backend.name)!;
        const port = service.spec.ports.find((p: K8sObject) => p.port === backend.port.number);
        expect(port).toMatchObject({ name: 'http', targetPort: 'http' });
        expect(backend.port.number).not.toBe(9464);
      }
    });

    test.each(['auth', ...CONSUMERS])(
      '%s: the pod, its Service and its ConfigMap agree on the metrics port',
      (name) => {
        const container = deploymentOf(objects, name).spec.template.spec.containers[0];
        expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
        expect(configMapOf(objects, name)['METRICS_PORT']).toBe('9464');
        const service = byKind(objects, 'Service').find((s) => component(s) === name)!;
        expect(service.spec.ports).toContainEqual({
          name: 'metrics',
          port: 9464,
          targetPort: 'metrics',
          protocol: 'TCP',
        });
      },
    );

    it('the ServiceMonitor scrapes the metrics port', () => {
      const [monitor] = byKind(objects, 'ServiceMonitor');
      expect(monitor.spec.endpoints).toEqual([
        expect.objectContaining({ port: 'metrics', path: '/metrics' }),
      ]);
    });

    it('the NetworkPolicy lets scrapers reach the metrics port only, and the API port not', () => {
      for (const policy of byKind(objects, 'NetworkPolicy').filter((p) => component(p))) {
        for (const rule of policy.spec.ingress as K8sObject[]) {
          const fromScrapers = (rule.from ?? []).some(
            (peer: K8sObject) => peer.namespaceSelector?.matchLabels?.name === 'monitoring',
          );
          if (fromScrapers) expect(rule.ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
        }
      }
    });

    it('follows metrics.port', () => {
      const moved = render('default', ['--set', 'metrics.port=9100']);
      expect(configMapOf(moved, 'order')['METRICS_PORT']).toBe('9100');
      const container = deploymentOf(moved, 'order').spec.template.spec.containers[0];
      expect(container.ports).toContainEqual({ name: 'metrics', containerPort: 9100, protocol: 'TCP' });
    });
  });

  it('every pod of a secured release mounts its Kafka Secrets read-only', () => {
    const objects = render('default', SASL);
    for (const { owner, spec } of podSpecs(objects)) {
      for (const container of spec.containers) {
        for (const mount of container.volumeMounts ?? []) {
          if (String(mount.name).startsWith('kafka-')) expect([owner, mount.readOnly]).toEqual([owner, true]);
        }
      }
    }
  });
});
