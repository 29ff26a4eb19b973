// Issue 15, item 1: the chart fails fast and names the reason. Required values fail `helm template`
// naming the value; the schema refuses quantities and probe fields the API server would refuse; the
// `lookup` preflight names a missing Secret or key (run against a stand-in API server on loopback, with
// `--dry-run=server`, the only way Helm's lookup talks to a server without installing); the hook Jobs'
// dependency check (files/wait-for.js) is run for real against a closed and an open port.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HELM_MAJORS,
  REQUIRED_VALUES,
  type K8sObject,
  byKind,
  chartDir,
  render,
  runHelm,
  templateArgs,
  useHelm,
} from './helm';

/**
 * Just enough of the Kubernetes API for Helm's discovery and lookup: GETs of Secrets and of the
 * kube-root-ca.crt ConfigMap, answered from the state file named by argv[1]. Prints its port.
 */
const STAND_IN_API_SERVER = `
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
const stateFile = process.argv[1];
const server = createServer((request, response) => {
  const { secrets, rootCa } = JSON.parse(readFileSync(stateFile, 'utf8'));
  const send = (status, body) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const path = (request.url || '').split('?')[0];
  if (path === '/version') return send(200, { major: '1', minor: '31', gitVersion: 'v1.31.0' });
  // Discovery of the kinds the chart renders (Helm 4 maps every rendered object to a resource).
  const groups = {
    v1: ['Secret', 'ConfigMap', 'ServiceAccount', 'Service', 'Pod'],
    'apps/v1': ['Deployment'],
    'batch/v1': ['Job'],
    'policy/v1': ['PodDisruptionBudget'],
    'autoscaling/v2': ['HorizontalPodAutoscaler'],
    'networking.k8s.io/v1': ['NetworkPolicy', 'Ingress'],
  };
  const resources = (groupVersion) => ({ kind: 'APIResourceList', groupVersion, resources: groups[groupVersion].map(
    (kind) => ({ name: kind.toLowerCase() + 's', singularName: kind.toLowerCase(), namespaced: true, kind, verbs: ['get'] })) });
  if (path === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
  if (path === '/api/v1') return send(200, resources('v1'));
  if (path === '/apis')
    return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(groups).filter((g) => g !== 'v1').map(
      (groupVersion) => { const [name, version] = groupVersion.split('/');
        const entry = { groupVersion, version };
        return { name, versions: [entry], preferredVersion: entry }; }) });
  const group = /^\\/apis\\/(.+)$/.exec(path);
  if (group && groups[group[1]]) return send(200, resources(group[1]));
  const secret = /^\\/api\\/v1\\/namespaces\\/([^/]+)\\/secrets\\/([^/]+)$/.exec(path);
  if (secret && secrets[secret[2]])
    return send(200, { apiVersion: 'v1', kind: 'Secret',
      metadata: { name: secret[2], namespace: secret[1] }, data: secrets[secret[2]] });
  const ca = /^\\/api\\/v1\\/namespaces\\/([^/]+)\\/configmaps\\/kube-root-ca\\.crt$/.exec(path);
  if (ca && rootCa)
    return send(200, { apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace: ca[1] }, data: { 'ca.crt': 'x' } });
  send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

const template = (values: string[]) => runHelm(templateArgs('default', values));
const failure = (values: string[]) => {
  const result = template(values);
  expect(result.status).not.toBe(0);
  return result.stderr;
};

describe.each(HELM_MAJORS)('Helm %i', (major) => {
  beforeAll(() => useHelm(major));

  describe('required values fail rendering, naming the value', () => {
    test('the defaults alone: the tax authority URL is required while tax-bridge is enabled', () => {
      // templateArgs('default') adds REQUIRED_VALUES; run helm without them.
      const result = runHelm(templateArgs('default').filter((arg) => !REQUIRED_VALUES.includes(arg)));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(
        /taxAuthority\.url is empty and components\.tax-authority-sim is disabled/,
      );
    });

    test('an empty or blank authority URL fails; the simulator or a disabled tax-bridge needs none', () => {
      expect(failure(['--set', 'taxAuthority.url= '])).toContain('taxAuthority.url is empty');
      expect(
        template(['--set', 'taxAuthority.url=', '--set', 'components.tax-authority-sim.enabled=true']).status,
      ).toBe(0);
      expect(
        template(['--set', 'taxAuthority.url=', '--set', 'components.tax-bridge.enabled=false']).status,
      ).toBe(0);
    });

    test('an empty database host or Kafka brokers list fails naming it', () => {
      expect(failure(['--set', 'database.host='])).toMatch(/database\.host is empty/);
      expect(failure(['--set', 'kafka.brokers='])).toMatch(
        /kafka\.brokers is empty: invoice, order, reconciliation, tax-bridge need Kafka/,
      );
    });
  });

  describe('values.schema.json refuses what the API server would refuse', () => {
    test.each([
      ['defaults.resources.requests.cpu=1x', /requests\/cpu|requests\.cpu/],
      ['defaults.resources.limits.memory=512MB', /limits\/memory|limits\.memory/],
      ['components.order.resources.requests.memory=-1Gi', /requests\/memory|requests\.memory/],
      ['defaults.probes.readiness.periodSeconds=0', /readiness\/periodSeconds|readiness\.periodSeconds/],
      ['defaults.probes.liveness.timeoutSeconds=0', /liveness\/timeoutSeconds|liveness\.timeoutSeconds/],
      [
        'defaults.probes.liveness.successThreshold=2',
        /liveness\/successThreshold|liveness\.successThreshold/,
      ],
      ['defaults.probes.startup.failureThreshold=0', /startup\/failureThreshold|startup\.failureThreshold/],
      ['defaults.probes.readiness.terminationGracePeriodSeconds=5', /terminationGracePeriodSeconds/],
      ['components.order.podDisruptionBudget.maxUnavailable=one', /maxUnavailable/],
      ['components.order.image.digest=latest', /digest/],
    ])('%s', (setting, message) => {
      expect(failure(['--set', setting])).toMatch(message);
    });

    test('accepts the quantity forms Kubernetes accepts', () => {
      for (const value of ['250m', '0.5', '1', '512Mi', '1G', '1e3']) {
        expect({
          value,
          status: template(['--set', `defaults.resources.requests.cpu=${value}`]).status,
        }).toEqual({
          value,
          status: 0,
        });
      }
    });
  });

  describe('hook Jobs check their dependency first and fail at once', () => {
    let objects: K8sObject[];
    beforeAll(() => {
      objects = render('default');
    });

    test('migrations wait for the database, the topic Job for Kafka; exit 3 fails the Job immediately', () => {
      const jobs = byKind(objects, 'Job');
      expect(jobs.length).toBeGreaterThan(1);
      for (const job of jobs) {
        const what = job.metadata.name.endsWith('-kafka-topics') ? 'kafka' : 'database';
        const [check] = job.spec.template.spec.initContainers;
        expect(check.name).toBe(`wait-for-${what}`);
        expect(check.command).toEqual(['node', '-e']);
        expect(check.args[0]).toBe(readFileSync(join(chartDir, 'files/wait-for.js'), 'utf8'));
        const env = Object.fromEntries(check.env.map((e: K8sObject) => [e.name, e.value]));
        expect(env.WAIT_ENDPOINTS).toBe(what === 'kafka' ? 'kafka:9092' : 'mysql:3306');
        expect(env.WAIT_VALUES).toBe(what === 'kafka' ? 'kafka.brokers' : 'database.host, database.port');
        expect(Number(env.WAIT_TIMEOUT_SECONDS)).toBeLessThan(300); // well inside Helm's default --timeout 5m
        expect(check.terminationMessagePolicy).toBe('FallbackToLogsOnError');
        expect(job.spec.podFailurePolicy.rules[0]).toEqual({
          action: 'FailJob',
          onExitCodes: { containerName: `wait-for-${what}`, operator: 'In', values: [3] },
        });
        expect(job.spec.template.spec.restartPolicy).toBe('Never'); // required by podFailurePolicy
      }
    });

    test('hooks.dependencyCheck.enabled=false removes the check', () => {
      const jobs = byKind(render('default', ['--set', 'hooks.dependencyCheck.enabled=false']), 'Job');
      for (const job of jobs) {
        expect(job.spec.template.spec.initContainers).toBeUndefined();
        expect(job.spec.podFailurePolicy).toBeUndefined();
      }
    });
  });

  describe('preflight: lookup names a missing Secret or key (against a stand-in API server)', () => {
    // Helm is run with spawnSync, which blocks this process: the stand-in API server runs in its own
    // process and reads the Secrets it serves from a state file on every request.
    let server: ChildProcess;
    let kubeconfig: string;
    let stateFile: string;
    let secrets: Record<string, Record<string, string>>;
    let rootCa: boolean;
    const save = () => writeFileSync(stateFile, JSON.stringify({ secrets, rootCa }));

    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fapiao-kube-'));
      stateFile = join(dir, 'state.json');
      kubeconfig = join(dir, 'config');
      server = spawn(process.execPath, ['-e', STAND_IN_API_SERVER, stateFile], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const port = await new Promise<number>((resolve) =>
        server.stdout!.once('data', (chunk) => resolve(Number(String(chunk).trim()))),
      );
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{name: stand-in, cluster: {server: "http://127.0.0.1:${port}"}}]`,
          'users: [{name: stand-in, user: {token: x}}]',
          'contexts: [{name: stand-in, context: {cluster: stand-in, user: stand-in}}]',
          'current-context: stand-in',
        ].join('\n'),
      );
    });

    afterAll(() => {
      server.kill();
    });

    beforeEach(() => {
      const key = Buffer.from('x').toString('base64');
      secrets = {
        'fapiao-db': Object.fromEntries(
          ['auth', 'order', 'invoice', 'tax-bridge', 'reconciliation'].map((name) => [name, key]),
        ),
        'fapiao-auth': Object.fromEntries(
          [
            'key-encryption-key',
            'platform-client-id',
            'platform-client-secret',
            'service-client-id',
            'service-client-secret',
          ].map((name) => [name, key]),
        ),
        'fapiao-tax-client': { 'tls.crt': key, 'tls.key': key },
      };
      rootCa = true;
      save();
    });

    const againstCluster = (extra: string[] = []) =>
      runHelm(
        [...templateArgs('default', extra), '--dry-run=server', '--disable-openapi-validation'],
        undefined,
        {
          KUBECONFIG: kubeconfig,
        },
      );

    test('passes when every Secret and key exists', () => {
      const result = againstCluster();
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    test('names a missing Secret and the value that references it', () => {
      delete secrets['fapiao-auth'];
      save();
      const result = againstCluster();
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(
        /preflight: in namespace fapiao, Secret "fapiao-auth" \(auth\.keyEncryption\) does not exist/,
      );
    });

    test('names a missing key of an existing Secret', () => {
      delete secrets['fapiao-db']['tax-bridge'];
      delete secrets['fapiao-auth']['service-client-secret'];
      delete secrets['fapiao-tax-client']['tls.key'];
      save();
      const { stderr } = againstCluster();
      expect(stderr).toContain('Secret "fapiao-db" (database.existingSecret) has no key "tax-bridge"');
      expect(stderr).toContain('Secret "fapiao-auth" (auth.clients) has no key "service-client-secret"');
      expect(stderr).toContain(
        'Secret "fapiao-tax-client" (taxAuthority.clientCertificate) has no key "tls.key"',
      );
    });

    test('names a missing Kafka SASL Secret, a missing key of a component’s own one, and the CA', () => {
      const key = Buffer.from('x').toString('base64');
      secrets['fapiao-kafka-order'] = { username: key };
      save();
      const { stderr, status } = againstCluster([
        '--set',
        'kafka.sasl.mechanism=scram-sha-512',
        '--set',
        'kafka.sasl.existingSecret=fapiao-kafka',
        '--set',
        'components.order.kafkaSasl.existingSecret=fapiao-kafka-order',
        '--set',
        'kafka.tls.enabled=true',
        '--set',
        'kafka.tls.caSecret=kafka-ca',
      ]);
      expect(status).not.toBe(0);
      expect(stderr).toContain('Secret "fapiao-kafka" (kafka.sasl (components.invoice)) does not exist');
      expect(stderr).toContain(
        'Secret "fapiao-kafka-order" (kafka.sasl (components.order)) has no key "password"',
      );
      expect(stderr).toContain('Secret "kafka-ca" (kafka.tls.caSecret) does not exist');
    });

    test('checks only what enabled components use, and can be switched off', () => {
      delete secrets['fapiao-tax-client'];
      save();
      expect(againstCluster().status).not.toBe(0);
      expect(againstCluster(['--set', 'components.tax-bridge.enabled=false']).status).toBe(0);
      expect(againstCluster(['--set', 'preflight.secrets=false']).status).toBe(0);
    });

    test('stays out of the way without a live lookup: helm template, or a namespace not created yet', () => {
      secrets = {};
      save();
      expect(template([]).status).toBe(0);
      rootCa = false;
      save();
      expect(againstCluster().status).toBe(0);
    });
  });
});

describe('files/wait-for.js (the hook Jobs’ dependency check, run for real)', () => {
  const script = readFileSync(join(chartDir, 'files/wait-for.js'), 'utf8');
  let listener: TcpServer;
  let openPort: number;
  let closedPort: number;

  beforeAll(async () => {
    listener = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    openPort = (listener.address() as AddressInfo).port;
    // A port that was just free: bind and close it.
    const probe = createTcpServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  function run(endpoints: string, timeoutSeconds = 2) {
    const child = spawn(process.execPath, ['-e', script], {
      env: {
        PATH: process.env.PATH,
        WAIT_FOR: 'database',
        WAIT_VALUES: 'database.host, database.port',
        WAIT_ENDPOINTS: endpoints,
        WAIT_TIMEOUT_SECONDS: String(timeoutSeconds),
        WAIT_INTERVAL_SECONDS: '1',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const started = Date.now();
    return new Promise<{ code: number | null; lines: string[]; ms: number }>((resolve) =>
      child.on('close', (code) =>
        resolve({ code, lines: output.trim().split('\n'), ms: Date.now() - started }),
      ),
    );
  }

  test('exits 0 with one line once an endpoint answers', async () => {
    const { code, lines } = await run(`127.0.0.1:${closedPort},127.0.0.1:${openPort}`);
    expect(lines).toEqual([`fapiao: database 127.0.0.1:${openPort} reachable`]);
    expect(code).toBe(0);
  });

  test('exits 3 within its bound with one line naming the endpoint, the error and the values', async () => {
    const { code, lines, ms } = await run(`127.0.0.1:${closedPort}`, 2);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^fapiao: database unreachable: 127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\) after \\d+ s; check database\\.host, database\\.port$`,
        ),
      ),
    ]);
    expect(code).toBe(3);
    expect(ms).toBeLessThan(6000);
  });

  test('refuses a malformed endpoint at once', async () => {
    const { code, lines } = await run('mysql');
    expect(lines).toEqual([
      'fapiao: database unreachable: mysql is not host:port; check database.host, database.port',
    ]);
    expect(code).toBe(3);
  });
});
