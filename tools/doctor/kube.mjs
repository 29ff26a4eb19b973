// `fapiao doctor --kube`: reads a release's objects through the Kubernetes API (read-only: get, list, pod
// logs, and exec of a read-only probe script), judges them with kube-checks.mjs, then runs the layered
// service checks from inside one of the release's pods so DNS and network policy are tested from there.
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import {
  WARN,
  evaluateDatabase,
  evaluateDns,
  evaluateLiveness,
  evaluateReadiness,
  evaluateTcp,
  result,
} from './checks.mjs';
import {
  evaluateApi,
  evaluateDeployment,
  evaluateEvents,
  evaluateExec,
  evaluateHpa,
  evaluateJob,
  evaluatePdb,
  evaluatePod,
  evaluateReleaseFound,
  evaluateScaledObject,
  evaluateSecretRefs,
  evaluateService,
} from './kube-checks.mjs';

/** Every call to the API server is bounded: a doctor that hangs is worse than one that says "no answer". */
export const API_TIMEOUT_MS = 10_000;
/** Exec goes API server → kubelet → container runtime; without a kubelet it can hang or fail. */
export const EXEC_TIMEOUT_MS = 15_000;
const EVENT_WINDOW_MS = 60 * 60_000;
const LOG_LINES = 20;

const within = (promise, ms, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      timer.unref?.();
    }),
  ]);

/** The API server's own words: its Status message when it sent one, else the transport's. */
function apiError(error) {
  const body = error?.body;
  if (typeof body === 'string') {
    try {
      const status = JSON.parse(body);
      if (status.message) return status.message;
    } catch {
      // not JSON
    }
  }
  if (body?.message) return body.message;
  if (typeof error?.code === 'number') return `HTTP ${error.code}`;
  const cause = error?.cause;
  return cause ? `${error.message}: ${cause.code ?? cause.message}` : (error?.message ?? String(error));
}
const statusOf = (error) => error?.code ?? error?.statusCode;

/**
 * Loads the kubeconfig (KUBECONFIG or ~/.kube/config, else the in-cluster service account) and picks the
 * context and namespace: `--namespace` wins, then the context's namespace, then "default".
 */
export function kubeTarget({ context, namespace, kubeconfig } = {}) {
  const kc = new k8s.KubeConfig();
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  else kc.loadFromDefault();
  if (context) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(`--context ${context}: not in the kubeconfig (it has: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(context);
  }
  const current = kc.getContextObject(kc.getCurrentContext());
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new Error('no Kubernetes cluster: set KUBECONFIG, or run in a pod with a service account');
  return {
    kc,
    context: kc.getCurrentContext(),
    server: cluster.server,
    namespace: namespace ?? current?.namespace ?? 'default',
  };
}

/** (Secret, key) pairs the pod templates read env from, with the Deployments that need each. */
function secretRefs(deployments) {
  const refs = new Map();
  const add = (secret, key, optional, user) => {
    const id = `${secret}\0${key ?? ''}`;
    const ref = refs.get(id) ?? { secret, key, optional: Boolean(optional), users: [] };
    if (!ref.users.includes(user)) ref.users.push(user);
    refs.set(id, ref);
  };
  for (const d of deployments) {
    const spec = d.spec.template.spec;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) add(ref.name, ref.key, ref.optional, d.metadata.name);
      }
      for (const e of c.envFrom ?? []) {
        if (e.secretRef) add(e.secretRef.name, null, e.secretRef.optional, d.metadata.name);
      }
    }
  }
  return [...refs.values()];
}

/** Key names of each Secret (values are never kept), null when absent, { error } when unreadable. */
async function secretKeys(core, namespace, names) {
  const entries = await Promise.all(
    names.map(async (name) => {
      try {
        const secret = await within(
          core.readNamespacedSecret({ name, namespace }),
          API_TIMEOUT_MS,
          `Secret ${name}`,
        );
        return [name, Object.keys({ ...secret.data, ...secret.stringData })];
      } catch (error) {
        return [name, statusOf(error) === 404 ? null : { error: apiError(error) }];
      }
    }),
  );
  return Object.fromEntries(entries);
}

async function podLog(core, namespace, name, container, previous) {
  try {
    const text = await within(
      core.readNamespacedPodLog({ name, namespace, container, previous, tailLines: LOG_LINES }),
      API_TIMEOUT_MS,
      `logs of ${name}`,
    );
    return { text: String(text ?? '') };
  } catch (error) {
    return { error: apiError(error) };
  }
}

const crashing = (s) => s.state?.waiting?.reason === 'CrashLoopBackOff' || (s.restartCount > 0 && !s.ready);

/** The probe run inside a pod: the same DNS → TCP → HTTP layers as the local mode, printed as JSON. */
const IN_POD_SCRIPT = `
const dns = require('node:dns/promises');
const net = require('node:net');
const targets = JSON.parse(process.argv[1]);
const timed = async (work) => { const t = performance.now(); try { return { ...(await work()), ms: performance.now() - t }; } catch (e) { const c = e.cause ?? e; return { error: { code: c.code, message: c.message }, ms: performance.now() - t }; } };
const http = (url) => timed(async () => { const r = await fetch(url, { signal: AbortSignal.timeout(3000) }); const text = await r.text(); let body = text; try { body = JSON.parse(text); } catch {} return { status: r.status, body }; });
(async () => {
  const out = {};
  for (const { name, host, port } of targets) {
    const base = 'http://' + host + ':' + port;
    const d = await timed(async () => ({ addresses: (await dns.lookup(host, { all: true })).map((a) => a.address) }));
    const entry = { dns: { host, ...d } };
    if (!d.error) {
      entry.tcp = { host, port, ...(await timed(() => new Promise((ok, ko) => { const s = net.connect({ host, port, timeout: 3000 }); s.once('connect', () => { s.destroy(); ok({}); }); s.once('timeout', () => { s.destroy(); ko(Object.assign(new Error('no answer within 3000 ms'), { code: 'ETIMEDOUT' })); }); s.once('error', ko); }))) };
      if (!entry.tcp.error) { entry.live = await http(base + '/healthz'); entry.ready = await http(base + '/readyz'); }
    }
    out[name] = entry;
  }
  process.stdout.write(JSON.stringify(out));
})();`;

/** Runs the probe script in `pod` through the exec subresource; resolves { output } or { error }. */
export async function execInPod(kc, { namespace, pod, container, targets, timeoutMs = EXEC_TIMEOUT_MS }) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  let socket;
  const finished = new Promise((resolve, reject) => {
    new k8s.Exec(kc)
      .exec(
        namespace,
        pod,
        container,
        ['node', '-e', IN_POD_SCRIPT, JSON.stringify(targets)],
        stdout,
        stderr,
        null,
        false,
        (status) =>
          status.status === 'Success'
            ? resolve()
            : reject(new Error(`${status.reason ?? 'Failure'}: ${status.message ?? ''} ${err}`.trim())),
      )
      .then((ws) => {
        socket = ws;
        ws.on('close', () => setTimeout(resolve, 50));
        ws.on('error', reject);
      }, reject);
  });
  try {
    await within(finished, timeoutMs, `exec into ${pod}`);
    return { output: JSON.parse(out) };
  } catch (error) {
    return { error: apiError(error) };
  } finally {
    socket?.terminate?.();
  }
}

/** The in-pod verdicts, through the same evaluators as the local mode; targets read "service ← pod". */
function inPodChecks(pod, targets, output) {
  const checks = [];
  for (const { name, host, port } of targets) {
    const probe = output[name] ?? {};
    const service = `${name} ← ${pod}`;
    const url = `http://${host}:${port}`;
    checks.push(evaluateDns({ service, ...probe.dns }));
    if (!probe.tcp) continue;
    checks.push(evaluateTcp({ service, local: false, ...probe.tcp }));
    if (!probe.live) continue;
    checks.push(evaluateLiveness({ service, url, ...probe.live }));
    checks.push(evaluateReadiness({ service, url, ...probe.ready }));
    const database = evaluateDatabase({ service, url, readyBody: probe.ready.body });
    if (database) checks.push(database);
  }
  return checks;
}

const list = (promise, what) =>
  within(promise, API_TIMEOUT_MS, what).then(
    (r) => ({ items: r.items }),
    (error) => ({ error: apiError(error), status: statusOf(error) }),
  );

/**
 * Every check of the release: API → Deployments and pods (with Secrets) → hook Jobs → HPA/KEDA → PDBs →
 * Services' endpoints → Warning events → the layered checks from inside a ready pod.
 */
export async function runKubeDoctor({
  kc,
  context,
  server,
  namespace,
  release,
  execTimeoutMs,
  now = Date.now(),
}) {
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);
  const policy = kc.makeApiClient(k8s.PolicyV1Api);
  const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const labelSelector = `app.kubernetes.io/instance=${release}`;
  const checks = [];

  const started = performance.now();
  let version;
  try {
    version = (await within(kc.makeApiClient(k8s.VersionApi).getCode(), API_TIMEOUT_MS, server)).gitVersion;
  } catch (error) {
    return [
      evaluateApi({
        server,
        context,
        namespace,
        error: new Error(apiError(error)),
        ms: performance.now() - started,
      }),
    ];
  }
  checks.push(evaluateApi({ server, context, namespace, version, ms: performance.now() - started }));

  const [deployments, pods, jobs, hpas, scaled, pdbs, services, slices, events] = await Promise.all([
    list(apps.listNamespacedDeployment({ namespace, labelSelector }), 'Deployments'),
    list(core.listNamespacedPod({ namespace, labelSelector }), 'pods'),
    list(batch.listNamespacedJob({ namespace, labelSelector }), 'Jobs'),
    list(autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace, labelSelector }), 'HPAs'),
    list(
      custom.listNamespacedCustomObject({
        group: 'keda.sh',
        version: 'v1alpha1',
        namespace,
        plural: 'scaledobjects',
        labelSelector,
      }),
      'ScaledObjects',
    ),
    list(policy.listNamespacedPodDisruptionBudget({ namespace, labelSelector }), 'PDBs'),
    list(core.listNamespacedService({ namespace, labelSelector }), 'Services'),
    list(discovery.listNamespacedEndpointSlice({ namespace }), 'EndpointSlices'),
    list(core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }), 'events'),
  ]);
  // RBAC may allow some lists and not others: say which, and judge the rest.
  const unreadable = (layer, what, answer) =>
    result({
      layer,
      name: what,
      target: namespace,
      status: WARN,
      summary: `cannot list ${what}: ${answer.error}`,
      runbook: 'kubeApi',
      next: `kubectl -n ${namespace} auth can-i list ${what}`,
    });
  for (const [layer, what, answer] of [
    ['workloads', 'deployments', deployments],
    ['workloads', 'pods', pods],
    ['hooks', 'jobs', jobs],
    ['autoscaling', 'horizontalpodautoscalers', hpas],
    ['disruption', 'poddisruptionbudgets', pdbs],
    ['endpoints', 'services', services],
    ['endpoints', 'endpointslices', slices],
    ['events', 'events', events],
  ]) {
    if (answer.error) checks.push(unreadable(layer, what, answer));
  }

  const podEvents = (name) =>
    (events.items ?? []).filter((e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === name);

  if (deployments.items) {
    checks.push(evaluateReleaseFound({ namespace, release, count: deployments.items.length }));
    checks.push(...deployments.items.map(evaluateDeployment));
    const refs = secretRefs(deployments.items);
    if (refs.length) {
      const secrets = await secretKeys(core, namespace, [...new Set(refs.map((r) => r.secret))]);
      checks.push(...evaluateSecretRefs({ namespace, refs, secrets }));
    }
  }
  // Hook Jobs' pods carry the release label too; they are judged with their Job.
  const workloadPods = (pods.items ?? []).filter(
    (p) => !p.metadata.labels?.['batch.kubernetes.io/job-name'] && !p.metadata.labels?.['job-name'],
  );
  for (const pod of workloadPods) {
    const logs = {};
    for (const s of pod.status?.containerStatuses ?? []) {
      if (!crashing(s)) continue;
      const log = await podLog(core, namespace, pod.metadata.name, s.name, true);
      logs[s.name] = log.error ? { error: `${log.error}${await nodeProblem(kc, pod.spec.nodeName)}` } : log;
    }
    checks.push(evaluatePod(pod, { events: podEvents(pod.metadata.name), logs }));
  }

  for (const job of jobs.items ?? []) {
    let logs;
    if ((job.status?.failed ?? 0) > 0) {
      const jobPod = (pods.items ?? []).find(
        (p) =>
          (p.metadata.labels?.['batch.kubernetes.io/job-name'] ?? p.metadata.labels?.['job-name']) ===
          job.metadata.name,
      );
      logs = jobPod
        ? await podLog(core, namespace, jobPod.metadata.name, undefined, false)
        : { error: 'its pod is gone (deleted with the attempt)' };
    }
    checks.push(evaluateJob(job, { logs }));
  }

  checks.push(...(hpas.items ?? []).map(evaluateHpa));
  // 404: KEDA's CRD is not installed, so the chart cannot have ScaledObjects here.
  checks.push(...(scaled.items ?? []).map(evaluateScaledObject));
  if (scaled.error && scaled.status !== 404) checks.push(unreadable('autoscaling', 'scaledobjects', scaled));
  checks.push(...(pdbs.items ?? []).map(evaluatePdb));

  for (const service of services.items ?? []) {
    const own = (slices.items ?? []).filter(
      (s) => s.metadata.labels?.['kubernetes.io/service-name'] === service.metadata.name,
    );
    checks.push(evaluateService(service, own));
  }

  if (events.items) {
    const names = new Set(
      [deployments, pods, jobs, hpas, pdbs, services]
        .flatMap((answer) => answer.items ?? [])
        .map((o) => o.metadata.name),
    );
    const prefix = `${release}-`;
    const ours = events.items.filter(
      (e) => names.has(e.involvedObject.name) || e.involvedObject.name.startsWith(prefix),
    );
    checks.push(...evaluateEvents(ours, { namespace, sinceMs: EVENT_WINDOW_MS, now }));
  }

  checks.push(
    ...(await fromInside({
      kc,
      namespace,
      services: services.items ?? [],
      pods: workloadPods,
      execTimeoutMs,
    })),
  );
  return checks;
}

/**
 * Why logs or exec could not reach the pod's kubelet, when the Node says so (the API server's 404 does not):
 * the Node is gone or not Ready. Empty when it looks fine or cannot be read (RBAC on nodes is cluster-wide).
 */
async function nodeProblem(kc, nodeName) {
  if (!nodeName) return '';
  try {
    const node = await within(
      kc.makeApiClient(k8s.CoreV1Api).readNode({ name: nodeName }),
      API_TIMEOUT_MS,
      nodeName,
    );
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    return ready?.status === 'True'
      ? ''
      : ` (node ${nodeName} is not Ready: ${ready?.message ?? 'no status'})`;
  } catch (error) {
    return statusOf(error) === 404 ? ` (node ${nodeName} does not exist: no kubelet to reach)` : '';
  }
}

/** Exec into the first running, ready pod and probe every Service of the release from there. */
async function fromInside({ kc, namespace, services, pods, execTimeoutMs }) {
  const ready = pods.find(
    (p) =>
      p.status?.phase === 'Running' &&
      p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  if (!ready) return [evaluateExec({ namespace })];
  const targets = services.map((s) => ({
    name: s.metadata.labels?.['app.kubernetes.io/component'] ?? s.metadata.name,
    host: `${s.metadata.name}.${namespace}.svc`,
    port: (s.spec.ports.find((p) => p.name === 'http') ?? s.spec.ports[0]).port,
  }));
  const pod = ready.metadata.name;
  const started = performance.now();
  const { output, error } = await execInPod(kc, {
    namespace,
    pod,
    container: ready.spec.containers[0].name,
    targets,
    timeoutMs: execTimeoutMs,
  });
  const ms = performance.now() - started;
  const exec = evaluateExec({
    namespace,
    pod,
    error: error && `${error}${await nodeProblem(kc, ready.spec.nodeName)}`,
    ms,
  });
  return error ? [exec] : [exec, ...inPodChecks(pod, targets, output)];
}
