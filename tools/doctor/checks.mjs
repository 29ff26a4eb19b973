// The pure half of `fapiao doctor`: what each measurement means (✔ ⚠ ✖), where the runbook explains it,
// the next command to run, and how results are printed. No I/O here: probes.mjs measures, doctor.mjs
// sequences, this file judges (unit-tested in checks.spec.ts).

export const PASS = 'pass';
export const WARN = 'warn';
export const FAIL = 'fail';
/** Not run because a check it depends on failed (that one carries the verdict). */
export const SKIP = 'skip';

export const SYMBOLS = { [PASS]: '✔', [WARN]: '⚠', [FAIL]: '✖', [SKIP]: '○' };

/** Layers in the order doctor walks them: the first that fails is usually the one to fix. */
export const LAYERS = [
  // --kube: the release's objects, then the layers below as seen from inside a pod.
  'kube-api',
  'workloads',
  'config',
  'hooks',
  'autoscaling',
  'disruption',
  'endpoints',
  'events',
  'in-pod',
  'dns',
  'tcp',
  'tls',
  'http',
  'database',
  'kafka',
  'authority',
  'sagas',
  'reconciliation',
  'dead-letters',
];

/** The runbook (docs/operations.md) entry of every kind of failure, by its heading. */
export const RUNBOOK = {
  network: 'Network down, DNS, firewall',
  service: 'A service does not answer or is not ready',
  tls: 'TLS and client-certificate expiry',
  database: 'Database unavailable or pool exhausted',
  kafka: 'Kafka unavailable',
  lag: 'Consumer lag',
  authorityDown: 'Tax authority returns 5xx or times out',
  maintenance: 'Maintenance window (25th–27th by default)',
  rateLimit: 'Rate limiting (429)',
  saga: 'A saga needs attention',
  discrepancy: 'Open discrepancies',
  deadLetters: 'Dead letters waiting',
  kubeApi: 'The Kubernetes API cannot be reached or read',
  kubePod: 'A pod is not ready',
  kubeConfig: 'A Secret or one of its keys is missing',
  kubeHook: 'A hook Job failed',
  kubeScaling: 'The autoscaler cannot scale',
  kubeDisruption: 'A disruption budget blocks node drains',
  kubeEndpoints: 'A Service has no ready endpoints',
  kubeExec: 'doctor cannot exec into a pod',
};

export const RUNBOOK_FILE = 'docs/operations.md';

/** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export const runbookLink = (key) => `${RUNBOOK_FILE}#${slug(RUNBOOK[key])}`;

/** Thresholds; a lag or an age above them is a warning, not yet a failure. */
export const LIMITS = {
  lagWarn: 1000,
  queueAgeWarnSeconds: 300,
  certWarnDays: 30,
  overdueSagaSeconds: 60,
};

/** One check's verdict. `runbook` (a RUNBOOK key) and `next` are kept for warnings and failures only. */
export function result({
  layer,
  name,
  target = null,
  status,
  summary,
  measured = {},
  ms = null,
  runbook,
  next,
}) {
  const attention = status === WARN || status === FAIL;
  return {
    layer,
    name,
    target,
    status,
    summary,
    measured,
    ms: ms === null ? null : Math.round(ms),
    ...(attention && runbook ? { runbook: runbookLink(runbook) } : {}),
    ...(attention && next ? { next } : {}),
  };
}

const errorText = (error) => error?.code ?? error?.message ?? String(error);

export function evaluateDns({ service, host, addresses, error, ms, literal }) {
  const base = { layer: 'dns', name: 'resolve', target: service, ms };
  if (literal)
    return result({
      ...base,
      status: PASS,
      summary: `${host} is an address (no lookup)`,
      measured: { host },
    });
  if (error) {
    return result({
      ...base,
      status: FAIL,
      summary: `${host} does not resolve: ${errorText(error)}`,
      measured: { host, error: errorText(error) },
      runbook: 'network',
      next: `getent hosts ${host}   # or: nslookup ${host}`,
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `${host} → ${addresses.join(', ')}`,
    measured: { host, addresses },
  });
}

export function evaluateTcp({ service, host, port, error, ms, local }) {
  const base = { layer: 'tcp', name: 'connect', target: service, ms };
  if (error) {
    return result({
      ...base,
      status: FAIL,
      summary: `${host}:${port} ${errorText(error)}`,
      measured: { host, port, error: errorText(error) },
      runbook: local ? 'service' : 'network',
      next: local
        ? `npm start   # is the suite running? else: ss -ltnp | grep :${port}`
        : `nc -vz ${host} ${port}`,
    });
  }
  return result({ ...base, status: PASS, summary: `${host}:${port} connected`, measured: { host, port } });
}

/**
 * `cert`: { subject, issuer, validTo (ISO), chain: [subject CN…], authorized, authorizationError,
 * hostnameError } as probes.tlsProbe measures it; `now` for tests.
 */
export function evaluateTls({ service, host, port, cert, error, ms, now = Date.now() }) {
  const base = { layer: 'tls', name: 'certificate', target: service, ms };
  const fail = (summary, measured) =>
    result({
      ...base,
      status: FAIL,
      summary,
      measured,
      runbook: 'tls',
      next: `openssl s_client -connect ${host}:${port} -servername ${host} -showcerts </dev/null`,
    });
  if (error)
    return fail(`TLS handshake with ${host}:${port} failed: ${errorText(error)}`, {
      error: errorText(error),
    });
  const days = Math.floor((Date.parse(cert.validTo) - now) / 86_400_000);
  const measured = {
    subject: cert.subject,
    issuer: cert.issuer,
    chain: cert.chain,
    validTo: cert.validTo,
    daysToExpiry: days,
    authorized: cert.authorized,
  };
  if (days < 0) return fail(`certificate of ${host} expired ${-days} day(s) ago (${cert.validTo})`, measured);
  if (cert.hostnameError) return fail(`certificate does not name ${host}: ${cert.hostnameError}`, measured);
  if (!cert.authorized) {
    return fail(`certificate chain not trusted: ${cert.authorizationError ?? 'unknown reason'}`, measured);
  }
  if (days < LIMITS.certWarnDays) {
    return result({
      ...base,
      status: WARN,
      summary: `certificate of ${host} expires in ${days} day(s)`,
      measured,
      runbook: 'tls',
      next: `openssl s_client -connect ${host}:${port} -servername ${host} </dev/null | openssl x509 -noout -dates`,
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `${cert.subject} by ${cert.issuer}, ${days} days left, hostname matches`,
    measured,
  });
}

export function evaluateLiveness({ service, url, status, error, ms }) {
  const base = { layer: 'http', name: '/healthz', target: service, ms };
  if (error || status !== 200) {
    return result({
      ...base,
      status: FAIL,
      summary: error ? `${url}/healthz: ${errorText(error)}` : `${url}/healthz answered ${status}`,
      measured: { status: status ?? null, error: error ? errorText(error) : undefined },
      runbook: 'service',
      next: `curl -si ${url}/healthz`,
    });
  }
  return result({ ...base, status: PASS, summary: '200 (process alive)', measured: { status } });
}

/** Terminus' result, whether answered directly (200) or inside the 503 error body (`details`). */
export function readinessResult(body) {
  if (body && typeof body === 'object' && body.details && typeof body.details.details === 'object') {
    return body.details;
  }
  return body ?? {};
}

/** The checks /readyz names as down, degraded and up, with the message of each that is not up. */
export function readinessChecks(body) {
  const terminus = readinessResult(body);
  const all = { ...terminus.details, ...terminus.info, ...terminus.error };
  const named = Object.entries(all).map(([name, value]) => ({
    name,
    status: value?.status ?? 'unknown',
    message: value?.message ?? value?.error ?? undefined,
  }));
  return {
    down: named.filter((check) => check.status === 'down'),
    degraded: named.filter((check) => check.status === 'degraded'),
    up: named.filter((check) => check.status === 'up'),
  };
}

const describeCheck = ({ name, message }) => (message ? `${name} (${message})` : name);

export function evaluateReadiness({ service, url, status, body, error, ms }) {
  const base = { layer: 'http', name: '/readyz', target: service, ms };
  const next = `curl -s ${url}/readyz | jq .`;
  if (error) {
    return result({
      ...base,
      status: FAIL,
      summary: `${url}/readyz: ${errorText(error)}`,
      measured: { error: errorText(error) },
      runbook: 'service',
      next,
    });
  }
  const checks = readinessChecks(body);
  const measured = {
    status,
    down: checks.down.map((c) => c.name),
    degraded: checks.degraded.map((c) => c.name),
    up: checks.up.map((c) => c.name),
  };
  if (status !== 200) {
    const failing = checks.down.length
      ? checks.down.map(describeCheck).join(', ')
      : (readinessResult(body).status ?? 'no check named');
    // The failing check says which layer to read about.
    const names = checks.down.map((c) => c.name);
    const runbook = names.includes('database')
      ? 'database'
      : names.includes('kafka') || names.includes('consumers')
        ? 'kafka'
        : names.includes('clientCertificate')
          ? 'tls'
          : 'service';
    return result({
      ...base,
      status: FAIL,
      summary: `${status}: not ready: ${failing}`,
      measured,
      runbook,
      next,
    });
  }
  if (checks.degraded.length) {
    const names = checks.degraded.map((c) => c.name);
    return result({
      ...base,
      status: WARN,
      summary: `200 but degraded: ${checks.degraded.map(describeCheck).join(', ')}`,
      measured,
      runbook: names.includes('clientCertificate') ? 'tls' : names.includes('kafka') ? 'kafka' : 'service',
      next,
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `200 ready (${measured.up.join(', ') || 'no checks'})`,
    measured,
  });
}

/**
 * The database as the service reports it: `/health/deps` when the service has it (latency, detail),
 * otherwise the `database` check of `/readyz`.
 */
export function evaluateDatabase({ service, url, readyBody, deps }) {
  const base = { layer: 'database', name: 'reachable', target: service };
  const fromDeps = deps?.dependencies?.find((d) => d.name === 'database');
  const fromReady = [
    ...readinessChecks(readyBody).down,
    ...readinessChecks(readyBody).degraded,
    ...readinessChecks(readyBody).up,
  ].find((c) => c.name === 'database');
  if (!fromDeps && !fromReady) return null; // this service has no database check
  const status = fromDeps?.status ?? fromReady.status;
  const message = fromDeps?.detail?.message ?? fromReady?.message;
  const measured = {
    source: fromDeps ? '/health/deps' : '/readyz',
    status,
    ...(fromDeps ? { latencyMs: fromDeps.latencyMs, detail: fromDeps.detail } : {}),
  };
  const ms = fromDeps?.latencyMs ?? null;
  if (status === 'down') {
    return result({
      ...base,
      ms,
      status: FAIL,
      summary: `down as ${service} sees it${message ? `: ${message}` : ''}`,
      measured,
      runbook: 'database',
      next: `curl -s ${url}/readyz | jq .details.details.database   # then: mysqladmin -h <DB_HOST> ping`,
    });
  }
  if (status === 'degraded') {
    return result({
      ...base,
      ms,
      status: WARN,
      summary: `degraded${message ? `: ${message}` : ''}`,
      measured,
      runbook: 'database',
      next: `curl -s ${url}/readyz | jq .`,
    });
  }
  return result({ ...base, ms, status: PASS, summary: `up (reported by ${measured.source})`, measured });
}

export function evaluateBrokers({ brokers, cluster, error, ms, topics }) {
  const base = { layer: 'kafka', name: 'broker metadata', target: brokers, ms };
  if (error) {
    return result({
      ...base,
      status: FAIL,
      summary: `no metadata from ${brokers}: ${errorText(error)}`,
      measured: { error: errorText(error) },
      runbook: 'kafka',
      next: `nc -vz ${brokers.split(',')[0].replace(':', ' ')}   # then the broker's log (npm start prints it as kafka |)`,
    });
  }
  const fapiaoTopics = topics.filter((t) => t.includes('fapiao.'));
  const measured = {
    clusterId: cluster.clusterId,
    controller: cluster.controller,
    brokers: cluster.brokers.map((b) => `${b.host}:${b.port}`),
    topics: fapiaoTopics.length,
  };
  if (fapiaoTopics.length === 0) {
    return result({
      ...base,
      status: WARN,
      summary: `${cluster.brokers.length} broker(s) answer, but no fapiao.* topic exists`,
      measured,
      runbook: 'kafka',
      next: `npx kafka-topics --bootstrap-server ${brokers} --list   # topics are created by the chart's hook or npm start`,
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `${cluster.brokers.length} broker(s), controller ${cluster.controller}, ${fapiaoTopics.length} fapiao topics`,
    measured,
  });
}

/**
 * `groups`: [{ groupId, state, members, topics: [{ topic, lag, partitions }] }]; lag per topic is the sum
 * over partitions of end offset − committed offset (partitions never committed count 0). One ⚠ per group
 * and topic that is behind, one ✔ line for all the others.
 */
export function evaluateLag({ groups, brokers, ms = null }) {
  if (groups.length === 0) {
    return [
      result({
        layer: 'kafka',
        name: 'consumer lag',
        target: brokers,
        ms,
        status: WARN,
        summary: 'no fapiao consumer group on this cluster: no service has joined it',
        measured: { groups: [] },
        runbook: 'lag',
        next: `kafka-consumer-groups.sh --bootstrap-server ${brokers} --list`,
      }),
    ];
  }
  const behind = [];
  const lagByGroup = {};
  for (const group of groups) {
    lagByGroup[group.groupId] = Object.fromEntries(group.topics.map((t) => [t.topic, t.lag]));
    for (const { topic, lag, partitions } of group.topics) {
      const measured = {
        group: group.groupId,
        topic,
        lag,
        partitions,
        state: group.state,
        members: group.members,
      };
      const reason =
        lag > 0 && group.members === 0
          ? `lag ${lag} and no member in the group (${group.state}): its service is not consuming`
          : lag > LIMITS.lagWarn
            ? `lag ${lag} > ${LIMITS.lagWarn}`
            : null;
      if (!reason) continue;
      behind.push(
        result({
          layer: 'kafka',
          name: 'consumer lag',
          target: `${group.groupId} ← ${topic}`,
          ms,
          status: WARN,
          summary: reason,
          measured,
          runbook: 'lag',
          next: `kafka-consumer-groups.sh --bootstrap-server ${brokers} --describe --group ${group.groupId}`,
        }),
      );
    }
  }
  if (behind.length) return behind;
  const total = groups.reduce((sum, g) => sum + g.topics.reduce((s, t) => s + t.lag, 0), 0);
  const withMembers = groups.filter((g) => g.members > 0).length;
  return [
    result({
      layer: 'kafka',
      name: 'consumer lag',
      target: brokers,
      ms,
      status: PASS,
      summary: `${groups.length} group(s), ${withMembers} with members, total lag ${total}`,
      measured: { lag: lagByGroup },
    }),
  ];
}

/** `topics`: [{ topic, depth }] for every `.dlq` topic (depth = Σ end − start offsets). */
export function evaluateDeadLetters({ topics, brokers, error, ms }) {
  const base = { layer: 'dead-letters', name: 'DLQ depth', target: brokers, ms };
  if (error) {
    return result({
      ...base,
      status: FAIL,
      summary: `cannot read the .dlq topics: ${errorText(error)}`,
      measured: { error: errorText(error) },
      runbook: 'kafka',
      next: `nc -vz ${brokers.split(',')[0].replace(':', ' ')}`,
    });
  }
  const byTopic = Object.fromEntries(topics.map(({ topic, depth }) => [topic, depth]));
  const waiting = topics.filter((t) => t.depth > 0);
  if (waiting.length) {
    const first = waiting[0].topic;
    return result({
      ...base,
      status: WARN,
      summary: `${waiting.reduce((sum, t) => sum + t.depth, 0)} dead letter(s): ${waiting
        .map((t) => `${t.topic} ${t.depth}`)
        .join(', ')}`,
      measured: byTopic,
      runbook: 'deadLetters',
      next: `npm run dlq -- list --topic ${first.replace(/\.dlq$/, '')}   # why, then: npm run dlq -- redrive --service … --dry-run`,
    });
  }
  return result({
    ...base,
    status: PASS,
    summary: `${topics.length} .dlq topic(s), all empty`,
    measured: byTopic,
  });
}

/**
 * tax-bridge's GET /v1/authority/status as doctor reads it: circuit, pause (maintenance, rate limit,
 * certificate), queue depth and oldest age. `httpStatus` 401/403 means the token lacks ops:read.
 */
export function evaluateAuthority({ url, httpStatus, body, error, ms, now = Date.now() }) {
  const base = { layer: 'authority', name: 'status', target: 'tax-bridge', ms };
  const next = `curl -s -H "authorization: Bearer $TOKEN" ${url}/v1/authority/status | jq .`;
  if (error || httpStatus !== 200) {
    const unauthorized = httpStatus === 401 || httpStatus === 403;
    return result({
      ...base,
      status: unauthorized ? WARN : FAIL,
      summary: unauthorized
        ? `status not readable (${httpStatus}): doctor needs a token with scope ops:read (--token-file)`
        : `status unavailable: ${error ? errorText(error) : `HTTP ${httpStatus}`}`,
      measured: { httpStatus: httpStatus ?? null },
      runbook: 'service',
      next,
    });
  }
  const { circuit, paused, queue, nextMaintenanceWindow, lastError } = body;
  const measured = {
    circuit: circuit.state,
    paused: paused ? { reason: paused.reason, until: paused.until } : null,
    queueDepth: queue.depth,
    unknown: queue.unknown,
    oldestQueuedAgeSeconds: queue.oldestQueuedAgeSeconds,
    awaitingConfirmation: queue.awaitingConfirmation,
    nextMaintenanceWindow,
    lastError: lastError?.message ?? null,
  };
  const queueText = `queue ${queue.depth}${queue.oldestQueuedAgeSeconds !== null ? `, oldest ${queue.oldestQueuedAgeSeconds} s` : ''}`;
  const verdict = (status, summary, runbook) => result({ ...base, status, summary, measured, runbook, next });
  if (paused?.reason === 'certificate_expired') {
    return verdict(FAIL, `paused: the authority refuses the client certificate, ${queueText}`, 'tls');
  }
  if (paused?.reason === 'maintenance') {
    return verdict(WARN, `paused for maintenance until ${paused.until}, ${queueText}`, 'maintenance');
  }
  if (paused?.reason === 'rate_limited') {
    return verdict(WARN, `paused: rate limited until ${paused.until}, ${queueText}`, 'rateLimit');
  }
  // The authority's own answer (maintenance, rate limit) explains an open circuit better than the circuit.
  if (circuit.state === 'open') {
    return verdict(
      FAIL,
      `circuit open, ${queueText}; last error: ${lastError?.message ?? 'none'}`,
      'authorityDown',
    );
  }
  if (paused)
    return verdict(WARN, `paused (${paused.reason}) until ${paused.until}, ${queueText}`, 'authorityDown');
  const inWindow =
    nextMaintenanceWindow &&
    Date.parse(nextMaintenanceWindow.start) <= now &&
    now < Date.parse(nextMaintenanceWindow.end);
  if (inWindow)
    return verdict(
      WARN,
      `in the maintenance window until ${nextMaintenanceWindow.end}, ${queueText}`,
      'maintenance',
    );
  if (circuit.state === 'half-open')
    return verdict(WARN, `circuit half-open (probing), ${queueText}`, 'authorityDown');
  if ((queue.oldestQueuedAgeSeconds ?? 0) > LIMITS.queueAgeWarnSeconds) {
    return verdict(WARN, `${queueText} (> ${LIMITS.queueAgeWarnSeconds} s)`, 'authorityDown');
  }
  if (queue.unknown > 0)
    return verdict(
      WARN,
      `${queue.unknown} submission(s) with unknown outcome, ${queueText}`,
      'authorityDown',
    );
  return result({ ...base, status: PASS, summary: `circuit closed, not paused, ${queueText}`, measured });
}

/**
 * The client certificate for the authority, as tax-bridge reports it: the `clientCertificate` check of its
 * /readyz (`{configured: false}` or `{subject, validTo, daysLeft}`), else `fapiao_tax_client_cert_expiry_days`
 * from /metrics (a gauge prom-client prints as 0 when it was never set, so /readyz comes first).
 */
export function evaluateClientCertificate({ url, readiness, days, error }) {
  const base = { layer: 'authority', name: 'client certificate', target: 'tax-bridge' };
  const next = `curl -s ${url}/readyz | jq .details.clientCertificate   # or: curl -s ${url}/metrics | grep cert_expiry`;
  if (readiness?.configured === false) {
    return result({
      ...base,
      status: PASS,
      summary: 'no client certificate configured',
      measured: { configured: false },
    });
  }
  const left = typeof readiness?.daysLeft === 'number' ? readiness.daysLeft : days;
  if (left === null || left === undefined) {
    return result({
      ...base,
      status: WARN,
      summary: `not reported${error ? ` (metrics: ${errorText(error)})` : ''}`,
      measured: {},
      runbook: 'service',
      next,
    });
  }
  const measured = {
    source: typeof readiness?.daysLeft === 'number' ? '/readyz' : '/metrics',
    days: Math.floor(left),
    ...(readiness?.subject ? { subject: readiness.subject, validTo: readiness.validTo } : {}),
  };
  const who = readiness?.subject ? `${readiness.subject} ` : '';
  if (left < 0) {
    return result({
      ...base,
      status: FAIL,
      summary: `${who}expired ${Math.ceil(-left)} day(s) ago`,
      measured,
      runbook: 'tls',
      next,
    });
  }
  if (left < LIMITS.certWarnDays) {
    return result({
      ...base,
      status: WARN,
      summary: `${who}expires in ${Math.floor(left)} day(s) (< ${LIMITS.certWarnDays})`,
      measured,
      runbook: 'tls',
      next,
    });
  }
  return result({ ...base, status: PASS, summary: `${who}${Math.floor(left)} days left`, measured });
}

/** The raw entry of one check in a /readyz body (with its data, e.g. clientCertificate's daysLeft). */
export function readinessDetail(body, name) {
  return readinessResult(body).details?.[name] ?? null;
}

/**
 * Sagas of the token's tenant that need an operator (NEEDS_ATTENTION) or whose deadline passed more than
 * LIMITS.overdueSagaSeconds ago while still RUNNING/COMPENSATING; `metric` is invoice's
 * fapiao_sagas_needing_attention (every tenant).
 */
export function evaluateSagas({ url, attention, running, metric, httpStatus, error, ms, now = Date.now() }) {
  const base = { layer: 'sagas', name: 'stuck sagas', target: 'invoice', ms };
  const next = `curl -s -H "authorization: Bearer $TOKEN" '${url}/v1/sagas?state=NEEDS_ATTENTION' | jq .`;
  if (error || httpStatus !== 200) {
    const unauthorized = httpStatus === 401 || httpStatus === 403;
    return result({
      ...base,
      status: unauthorized ? WARN : FAIL,
      summary: unauthorized
        ? `sagas not readable (${httpStatus}): needs a token with scope ops:read`
        : `sagas unavailable: ${error ? errorText(error) : `HTTP ${httpStatus}`}`,
      measured: { httpStatus: httpStatus ?? null },
      runbook: 'service',
      next,
    });
  }
  const overdue = running.filter(
    (saga) => saga.deadlineAt && now - Date.parse(saga.deadlineAt) > LIMITS.overdueSagaSeconds * 1000,
  );
  const measured = {
    needsAttention: attention.total,
    needsAttentionAllTenants: metric ?? null,
    overdue: overdue.length,
    ids: [...attention.items, ...overdue].slice(0, 5).map((saga) => saga.id),
  };
  const count = Math.max(attention.total, metric ?? 0);
  if (count > 0 || overdue.length > 0) {
    const parts = [];
    if (count > 0) parts.push(`${count} need attention`);
    if (overdue.length > 0) parts.push(`${overdue.length} past their deadline`);
    return result({
      ...base,
      status: WARN,
      summary: `${parts.join(', ')} (${measured.ids.join(', ')})`,
      measured,
      runbook: 'saga',
      next,
    });
  }
  return result({ ...base, status: PASS, summary: 'none needs attention or is past its deadline', measured });
}

export function evaluateDiscrepancies({ url, page, httpStatus, error, ms }) {
  const base = { layer: 'reconciliation', name: 'open discrepancies', target: 'reconciliation', ms };
  const next = `curl -s -H "authorization: Bearer $TOKEN" '${url}/v1/reconciliation/discrepancies?state=open' | jq .`;
  if (error || httpStatus !== 200) {
    const unauthorized = httpStatus === 401 || httpStatus === 403;
    return result({
      ...base,
      status: unauthorized ? WARN : FAIL,
      summary: unauthorized
        ? `discrepancies not readable (${httpStatus}): needs a token with scope invoices:read`
        : `discrepancies unavailable: ${error ? errorText(error) : `HTTP ${httpStatus}`}`,
      measured: { httpStatus: httpStatus ?? null },
      runbook: 'service',
      next,
    });
  }
  if (page.total > 0) {
    const types = [...new Set(page.items.map((d) => d.type))];
    return result({
      ...base,
      status: WARN,
      summary: `${page.total} open (${types.join(', ')})`,
      measured: { open: page.total, types, orders: page.items.slice(0, 5).map((d) => d.orderId) },
      runbook: 'discrepancy',
      next,
    });
  }
  return result({ ...base, status: PASS, summary: 'none open', measured: { open: 0 } });
}

/** A check that was not run because `because` failed first. */
export function skipped({ layer, name, target, because }) {
  return result({ layer, name, target, status: SKIP, summary: `skipped: ${because}` });
}

/** 0 all ✔, 1 some ⚠, 2 any ✖ (skipped checks follow from a failure already counted). */
export function exitCode(results) {
  if (results.some((r) => r.status === FAIL)) return 2;
  if (results.some((r) => r.status === WARN)) return 1;
  return 0;
}

export function summarize(results) {
  const count = (status) => results.filter((r) => r.status === status).length;
  return {
    pass: count(PASS),
    warn: count(WARN),
    fail: count(FAIL),
    skip: count(SKIP),
    exitCode: exitCode(results),
  };
}

/** The `--output json` document. */
export function toJson(results, meta = {}) {
  return { ...meta, summary: summarize(results), checks: results };
}

/** Human output, one line per check, grouped by layer; failures and warnings add the runbook and next command. */
export function formatText(results, { color = false } = {}) {
  const paint = (status, text) => {
    if (!color) return text;
    const code = { [PASS]: 32, [WARN]: 33, [FAIL]: 31, [SKIP]: 90 }[status];
    return `\x1b[${code}m${text}\x1b[0m`;
  };
  const lines = [];
  for (const layer of LAYERS) {
    const inLayer = results.filter((r) => r.layer === layer);
    if (inLayer.length === 0) continue;
    lines.push(layer);
    for (const r of inLayer) {
      const timing = r.ms === null ? '' : ` (${r.ms} ms)`;
      const target = r.target ? `${r.target}: ` : '';
      lines.push(`  ${paint(r.status, SYMBOLS[r.status])} ${r.name} — ${target}${r.summary}${timing}`);
      if (r.runbook) lines.push(`      runbook: ${r.runbook}`);
      if (r.next) lines.push(`      next:    ${r.next}`);
    }
  }
  const s = summarize(results);
  lines.push('');
  lines.push(
    `${s.pass} ✔  ${s.warn} ⚠  ${s.fail} ✖${s.skip ? `  ${s.skip} skipped` : ''} — ${
      s.fail ? 'FAIL' : s.warn ? 'WARN' : 'OK'
    } (exit ${s.exitCode})`,
  );
  return lines.join('\n');
}

/** `--url order=http://127.0.0.1:3002` → ['order', URL]; throws with what it wants. */
export function parseServiceUrl(value) {
  const match = /^([a-z][a-z0-9-]*)=(.+)$/.exec(value);
  if (!match) throw new Error(`--url wants service=http(s)://host:port, not ${value}`);
  let url;
  try {
    url = new URL(match[2]);
  } catch {
    throw new Error(`--url ${match[1]}: not a URL: ${match[2]}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--url ${match[1]}: http or https only, not ${url.protocol}`);
  }
  return [match[1], url.origin];
}

/** The value of one sample of a Prometheus text exposition (the first whose labels match), or null. */
export function metricValue(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const labelText = rest[0] === '{' ? rest.slice(1, rest.indexOf('}')) : '';
    const matches = Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`));
    if (!matches) continue;
    const value = Number(line.trim().split(/\s+/).pop());
    if (Number.isFinite(value)) return value;
  }
  return null;
}
