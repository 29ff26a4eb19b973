// The pure half of `fapiao doctor --kube`: what the objects of a release say (✔ ⚠ ✖), with the exact reason
// Kubernetes gives, the runbook entry and the next kubectl command. kube.mjs reads the objects; this file
// judges them (no I/O), like checks.mjs for the local layers.
import { FAIL, PASS, SKIP, WARN, result } from './checks.mjs';

/** Waiting reasons that mean the image cannot be pulled. */
const IMAGE_PULL = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
/** Waiting reasons that mean the container's configuration (env from a Secret/ConfigMap, mounts) is wrong. */
const CONFIG = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

const kubectl = (namespace, rest) => `kubectl -n ${namespace} ${rest}`;
const condition = (object, type) => object?.status?.conditions?.find((c) => c.type === type);

/** The API server answered (or not): everything else depends on it. */
export function evaluateApi({ server, context, namespace, version, error, ms }) {
  const base = { layer: 'kube-api', name: 'API server', target: context ?? server, ms };
  if (error) {
    return result({
      ...base,
      status: FAIL,
      summary: `${server} does not answer: ${error.message ?? error}`,
      measured: { server, error: error.message ?? String(error) },
      runbook: 'kubeApi',
      next: `kubectl --context ${context} -n ${namespace} get pods`,
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `${server} (Kubernetes ${version}), namespace ${namespace}`,
    measured: { server, version, namespace },
  });
}

/** No object of the release at all: wrong namespace or release name, the most common 2 a.m. mistake. */
export function evaluateReleaseFound({ namespace, release, count }) {
  return result({
    layer: 'workloads',
    name: 'release',
    target: release,
    status: count ? PASS : FAIL,
    summary: count
      ? `${count} Deployment(s) labelled app.kubernetes.io/instance=${release} in ${namespace}`
      : `no Deployment labelled app.kubernetes.io/instance=${release} in namespace ${namespace}`,
    measured: { namespace, release, deployments: count },
    runbook: 'kubePod',
    next: 'helm list -A   # then: npm run doctor -- --kube --namespace <ns> --release <name>',
  });
}

export function evaluateDeployment(deployment) {
  const { name, namespace } = deployment.metadata;
  const wanted = deployment.spec?.replicas ?? 1;
  const { readyReplicas = 0, updatedReplicas = 0, availableReplicas = 0 } = deployment.status ?? {};
  const measured = { wanted, ready: readyReplicas, updated: updatedReplicas, available: availableReplicas };
  const base = { layer: 'workloads', name: 'deployment', target: name, measured };
  const progressing = condition(deployment, 'Progressing');
  const next = kubectl(namespace, `rollout status deployment/${name}`);
  if (progressing?.status === 'False') {
    return result({
      ...base,
      status: FAIL,
      summary: `${readyReplicas}/${wanted} ready; Progressing False ${progressing.reason}: ${progressing.message}`,
      runbook: 'kubePod',
      next,
    });
  }
  if (readyReplicas === 0 && wanted > 0) {
    return result({
      ...base,
      status: FAIL,
      summary: `0/${wanted} ready: the service is down (see its pods below)`,
      runbook: 'kubePod',
      next,
    });
  }
  if (readyReplicas < wanted) {
    return result({
      ...base,
      status: WARN,
      summary: `${readyReplicas}/${wanted} ready (${updatedReplicas} updated)`,
      runbook: 'kubePod',
      next,
    });
  }
  return result({ ...base, status: PASS, summary: `${readyReplicas}/${wanted} ready` });
}

/** Last lines of a log, or why there are none (a bare API server, or a node that is gone, has no logs). */
function logExcerpt(logs) {
  if (!logs) return '';
  if (logs.error) return `; logs unavailable: ${logs.error}`;
  const lines = logs.text.trimEnd().split('\n').filter(Boolean).slice(-5);
  return lines.length ? `; last log lines:\n${lines.map((l) => `        | ${l}`).join('\n')}` : '; log empty';
}

/**
 * One pod: ready, or the exact reason it is not. `events`: the Warning events about this pod (Unhealthy
 * carries the probe's failure); `logs`: { [container]: { text } | { error } } of the previous instance of a
 * crash-looping container.
 */
export function evaluatePod(pod, { events = [], logs = {} } = {}) {
  const { name, namespace } = pod.metadata;
  const base = { layer: 'workloads', name: 'pod', target: name };
  const phase = pod.status?.phase ?? 'Unknown';
  const describe = kubectl(namespace, `describe pod ${name}`);
  if (pod.metadata.deletionTimestamp) {
    return result({ ...base, status: PASS, summary: `terminating (${phase})`, measured: { phase } });
  }
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    return result({
      ...base,
      status: FAIL,
      summary: `not scheduled: ${scheduled.reason}: ${scheduled.message}`,
      measured: { phase, reason: scheduled.reason },
      runbook: 'kubePod',
      next: describe,
    });
  }
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []).map((s) => ({ ...s, init: true })),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    const which = `${s.init ? 'init container' : 'container'} ${s.name}`;
    if (waiting && IMAGE_PULL.has(waiting.reason)) {
      return result({
        ...base,
        status: FAIL,
        summary: `${which}: image pull: ${waiting.reason}: ${waiting.message ?? s.image}`,
        measured: { phase, container: s.name, reason: waiting.reason, image: s.image },
        runbook: 'kubePod',
        next: describe,
      });
    }
    if (waiting && CONFIG.has(waiting.reason)) {
      return result({
        ...base,
        status: FAIL,
        summary: `${which}: ${waiting.reason}: ${waiting.message ?? 'no message'}`,
        measured: { phase, container: s.name, reason: waiting.reason, message: waiting.message },
        runbook: 'kubeConfig',
        next: describe,
      });
    }
    if (waiting?.reason === 'CrashLoopBackOff' || (s.restartCount > 0 && s.lastState?.terminated)) {
      const last = s.lastState?.terminated;
      const exit = last ? `last exit ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : 'no exit';
      const crashing = waiting?.reason === 'CrashLoopBackOff';
      if (!crashing && s.ready) continue; // restarted once, running and ready now: not the reason
      return result({
        ...base,
        status: FAIL,
        summary: `${which}: ${crashing ? 'crash loop' : 'restarting'}, ${s.restartCount} restarts, ${exit}${logExcerpt(logs[s.name])}`,
        measured: {
          phase,
          container: s.name,
          reason: waiting?.reason ?? 'Restarting',
          restarts: s.restartCount,
          exitCode: last?.exitCode,
          logs: logs[s.name]?.error ? null : (logs[s.name]?.text ?? null),
        },
        runbook: 'kubePod',
        next: kubectl(namespace, `logs ${name} -c ${s.name} --previous`),
      });
    }
  }
  const ready = condition(pod, 'Ready');
  if (phase === 'Running' && ready?.status === 'True') {
    return result({ ...base, status: PASS, summary: 'running and ready', measured: { phase } });
  }
  if (phase === 'Succeeded')
    return result({ ...base, status: PASS, summary: 'completed', measured: { phase } });
  const probe = [...events].reverse().find((e) => e.reason === 'Unhealthy');
  if (phase === 'Running') {
    return result({
      ...base,
      status: FAIL,
      summary: probe
        ? `running, not ready: probe failure: ${probe.message}`
        : `running, not ready${ready?.message ? `: ${ready.message}` : ''}`,
      measured: {
        phase,
        reason: probe ? 'ProbeFailed' : (ready?.reason ?? 'NotReady'),
        message: probe?.message,
      },
      runbook: 'kubePod',
      next: describe,
    });
  }
  const waiting = statuses.find((s) => s.state?.waiting)?.state.waiting;
  return result({
    ...base,
    status: phase === 'Failed' ? FAIL : WARN,
    summary: `${phase}${waiting ? `: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` : ''}`,
    measured: { phase, reason: waiting?.reason },
    runbook: 'kubePod',
    next: describe,
  });
}

/**
 * The Secrets the release's pod templates read env from: each (Secret, key) a container needs, checked
 * against what exists. `refs`: [{ secret, key|null, optional, users: [deployment] }]; `secrets`: { name:
 * [key…] | null (absent) | { error } }. Only key names are ever read out, never values.
 */
export function evaluateSecretRefs({ namespace, refs, secrets }) {
  return refs.map(({ secret, key, optional, users }) => {
    const found = secrets[secret];
    const what = key ? `key ${key} of Secret ${secret}` : `Secret ${secret}`;
    const base = {
      layer: 'config',
      name: 'secret',
      target: key ? `${secret}/${key}` : secret,
      measured: { secret, key, usedBy: users },
    };
    if (found?.error) {
      return result({
        ...base,
        status: WARN,
        summary: `cannot read Secret ${secret} to check it: ${found.error}`,
        runbook: 'kubeConfig',
        next: kubectl(namespace, `auth can-i get secret/${secret}`),
      });
    }
    const missing =
      found === null
        ? `Secret ${secret} does not exist`
        : key && !found.includes(key)
          ? `Secret ${secret} has no key ${key} (it has: ${found.join(', ') || 'none'})`
          : null;
    // An optional reference may be absent by design (the chart marks settings that have defaults so).
    if (missing && optional) {
      return result({ ...base, status: PASS, summary: `${missing}: optional for ${users.join(', ')}` });
    }
    if (missing) {
      return result({
        ...base,
        status: FAIL,
        summary: `${missing}; needed by ${users.join(', ')}`,
        runbook: 'kubeConfig',
        next: kubectl(
          namespace,
          `describe secret ${secret}   # then: kubectl -n ${namespace} edit secret ${secret}`,
        ),
      });
    }
    return result({ ...base, status: PASS, summary: `${what} present (${users.join(', ')})` });
  });
}

/** A hook Job (migrations, topics): done, running, or failed with its reason and last log lines. */
export function evaluateJob(job, { logs } = {}) {
  const { name, namespace } = job.metadata;
  const hook = job.metadata.annotations?.['helm.sh/hook'];
  const base = { layer: 'hooks', name: hook ? `${hook} hook` : 'job', target: name };
  const failed = condition(job, 'Failed');
  const complete = condition(job, 'Complete');
  const { active = 0, failed: failures = 0, succeeded = 0 } = job.status ?? {};
  const measured = { active, failed: failures, succeeded };
  if (failed?.status === 'True') {
    return result({
      ...base,
      status: FAIL,
      summary: `failed: ${failed.reason}: ${failed.message}${logExcerpt(logs)}`,
      measured: { ...measured, reason: failed.reason, logs: logs?.text ?? null },
      runbook: 'kubeHook',
      next: kubectl(namespace, `logs job/${name}`),
    });
  }
  if (complete?.status === 'True') return result({ ...base, status: PASS, summary: 'complete', measured });
  return result({
    ...base,
    status: WARN,
    summary: `not finished: ${active} active, ${failures} failed attempt(s)${logExcerpt(failures ? logs : null)}`,
    measured,
    runbook: 'kubeHook',
    next: kubectl(namespace, `logs job/${name} -f`),
  });
}

/** HPA (autoscaling/v2): its conditions say whether it can scale, and why not. */
export function evaluateHpa(hpa) {
  const { name, namespace } = hpa.metadata;
  const { currentReplicas = 0, desiredReplicas = 0 } = hpa.status ?? {};
  const { minReplicas = 1, maxReplicas } = hpa.spec;
  const measured = { current: currentReplicas, desired: desiredReplicas, min: minReplicas, max: maxReplicas };
  const counts = `${currentReplicas} current, ${desiredReplicas} desired (${minReplicas}–${maxReplicas})`;
  const base = { layer: 'autoscaling', name: 'HPA', target: name, measured };
  const next = kubectl(namespace, `describe hpa ${name}`);
  const conditions = hpa.status?.conditions ?? [];
  const broken = conditions.find(
    (c) => ['AbleToScale', 'ScalingActive'].includes(c.type) && c.status === 'False',
  );
  if (broken) {
    return result({
      ...base,
      status: FAIL,
      summary: `${broken.type} False ${broken.reason}: ${broken.message}; ${counts}`,
      measured: { ...measured, condition: broken.type, reason: broken.reason },
      runbook: 'kubeScaling',
      next,
    });
  }
  if (conditions.length === 0) {
    return result({
      ...base,
      status: WARN,
      summary: `no conditions yet: the controller has not evaluated it; ${counts}`,
      runbook: 'kubeScaling',
      next,
    });
  }
  const limited = conditions.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
  if (limited && desiredReplicas >= maxReplicas) {
    return result({
      ...base,
      status: WARN,
      summary: `at its maximum: ScalingLimited ${limited.reason}: ${limited.message}; ${counts}`,
      measured: { ...measured, reason: limited.reason },
      runbook: 'kubeScaling',
      next,
    });
  }
  return result({ ...base, status: PASS, summary: counts });
}

/** KEDA ScaledObject: Ready and Active conditions (it owns an HPA, judged above as well). */
export function evaluateScaledObject(object) {
  const { name, namespace } = object.metadata;
  const ready = condition(object, 'Ready');
  const base = { layer: 'autoscaling', name: 'KEDA ScaledObject', target: name };
  if (ready?.status !== 'True') {
    return result({
      ...base,
      status: FAIL,
      summary: `Ready ${ready?.status ?? 'unknown'}${ready?.reason ? ` ${ready.reason}` : ''}: ${ready?.message ?? 'no status from KEDA'}`,
      measured: { reason: ready?.reason },
      runbook: 'kubeScaling',
      next: kubectl(namespace, `describe scaledobject ${name}`),
    });
  }
  const active = condition(object, 'Active');
  return result({
    ...base,
    status: PASS,
    summary: `ready, ${active?.status === 'True' ? 'active' : 'idle'}`,
  });
}

export function evaluatePdb(pdb) {
  const { name, namespace } = pdb.metadata;
  const {
    currentHealthy = 0,
    desiredHealthy = 0,
    disruptionsAllowed = 0,
    expectedPods = 0,
  } = pdb.status ?? {};
  const measured = { currentHealthy, desiredHealthy, disruptionsAllowed, expectedPods };
  const base = { layer: 'disruption', name: 'PDB', target: name, measured };
  if (expectedPods > 0 && disruptionsAllowed === 0) {
    return result({
      ...base,
      status: WARN,
      summary: `0 disruptions allowed (${currentHealthy} healthy of ${expectedPods}, ${desiredHealthy} needed): node drains will wait`,
      runbook: 'kubeDisruption',
      next: kubectl(namespace, `get pdb ${name} -o yaml`),
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `${disruptionsAllowed} disruption(s) allowed, ${currentHealthy}/${expectedPods} healthy`,
  });
}

/** A Service and its EndpointSlices: no ready endpoint means every request to it fails. */
export function evaluateService(service, slices) {
  const { name, namespace } = service.metadata;
  const endpoints = slices.flatMap((s) => s.endpoints ?? []);
  const ready = endpoints.filter((e) => e.conditions?.ready !== false);
  const measured = { endpoints: endpoints.length, ready: ready.length };
  const base = { layer: 'endpoints', name: 'service', target: name, measured };
  if (ready.length === 0) {
    const notReady = endpoints.map((e) => e.targetRef?.name).filter(Boolean);
    return result({
      ...base,
      status: FAIL,
      summary: `no ready endpoints${
        notReady.length
          ? ` (not ready: ${notReady.join(', ')})`
          : slices.length
            ? ''
            : ' (no EndpointSlice: no pod matches its selector)'
      }: every request to ${name}.${namespace}.svc fails`,
      runbook: 'kubeEndpoints',
      next: kubectl(namespace, `get endpointslices -l kubernetes.io/service-name=${name}`),
    });
  }
  return result({ ...base, status: PASS, summary: `${ready.length}/${endpoints.length} endpoints ready` });
}

/** Recent Warning events, one check per object (newest first), with count and the last message. */
export function evaluateEvents(events, { namespace, sinceMs, now = Date.now() }) {
  const when = (e) =>
    Date.parse(e.lastTimestamp ?? e.eventTime ?? e.series?.lastObservedTime ?? e.metadata.creationTimestamp);
  const recent = events.filter((e) => e.type === 'Warning' && now - when(e) <= sinceMs);
  const byObject = new Map();
  for (const e of recent.sort((a, b) => when(b) - when(a))) {
    const key = `${e.involvedObject.kind}/${e.involvedObject.name}`;
    if (!byObject.has(key)) byObject.set(key, []);
    byObject.get(key).push(e);
  }
  if (byObject.size === 0) {
    return [
      result({
        layer: 'events',
        name: 'warnings',
        target: namespace,
        status: PASS,
        summary: `no Warning event in the last ${Math.round(sinceMs / 60_000)} min`,
      }),
    ];
  }
  return [...byObject].map(([key, list]) => {
    const reasons = [...new Set(list.map((e) => e.reason))];
    const count = list.reduce((n, e) => n + (e.count ?? e.series?.count ?? 1), 0);
    return result({
      layer: 'events',
      name: 'warnings',
      target: key,
      status: WARN,
      summary: `${count}× ${reasons.join(', ')}: ${list[0].message}`,
      measured: { reasons, count, last: list[0].message },
      runbook: 'kubePod',
      next: kubectl(namespace, `events --for ${key.toLowerCase()} --types=Warning`),
    });
  });
}

/** Exec into a pod failed: the in-pod layers are not run, and why (a bare API server has no kubelet). */
export function evaluateExec({ pod, error, ms, namespace }) {
  const base = { layer: 'in-pod', name: 'exec', target: pod ?? namespace, ms };
  if (!pod) {
    return result({
      ...base,
      status: SKIP,
      summary: 'no running and ready pod to exec into; in-pod checks skipped',
    });
  }
  if (error) {
    return result({
      ...base,
      status: WARN,
      summary: `exec unavailable: ${error}; in-pod checks (DNS, network policy from the pods) not run`,
      measured: { error: String(error) },
      runbook: 'kubeExec',
      next: kubectl(
        namespace,
        `exec ${pod} -- node -e "require('dns').lookup('kubernetes.default', console.log)"`,
      ),
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `exec into ${pod} works; the checks below ran from there`,
  });
}
