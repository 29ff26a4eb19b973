// One chaos run: the suite under load from HTTP and Kafka clients while the planned faults strike, then
// quiet, then every invariant checked. Used by `npm run chaos` (main.mjs) and by the short profile in
// `npm test` (chaos.e2e-spec.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkInvariants } from './check.mjs';
import { collectFacts, waitQuiet } from './collect.mjs';
import { attachCluster, startCluster } from './cluster.mjs';
import { Http, plantPoison, runClients } from './clients.mjs';
import { runFaults } from './faults.mjs';
import { makePlan } from './plan.mjs';
import { formatResult, renderTimeline, startSampler } from './report.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {object} options the plan's (see plan.mjs) and:
 * @param {boolean} [options.attach] against `npm start` (authority faults only) instead of an own suite
 * @param {string} options.mysqlUrl
 * @param {number} [options.portOffset]
 * @param {string} [options.dbPrefix]
 * @param {number} [options.quietTimeoutS] how long the system may take to settle after the faults
 * @param {string} [options.outDir] where history JSON and timeline PNG go (none when unset)
 * @param {string} [options.label] file name stem
 * @param {(event: object) => void} [options.onProgress]
 * @param {(service: string, line: string) => void} [options.log]
 */
export async function runChaos(options) {
  const { quietTimeoutS = 300, onProgress = () => {}, log = () => {} } = options;
  const plan = makePlan(options);
  const runId = Date.now().toString(36);
  const prefix = `CHAOS-${runId}-`;
  const cluster = options.attach
    ? await attachCluster()
    : await startCluster({
        mysqlUrl: options.mysqlUrl,
        portOffset: options.portOffset ?? 900,
        dbPrefix: options.dbPrefix ?? 'chaos_',
        log,
      });
  try {
    return await drive({ options, plan, runId, prefix, cluster, quietTimeoutS, onProgress });
  } finally {
    await cluster.stop();
  }
}

async function drive({ options, plan, runId, prefix, cluster, quietTimeoutS, onProgress }) {
  const http = new Http(cluster.urls, cluster.credentials, cluster.simAdminToken);
  const simFaults = async (spec) => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const response = await http.request('tax-authority-sim', '/v1/faults', {
        method: spec ? 'POST' : 'DELETE',
        body: spec ?? undefined,
        auth: false,
        headers: http.simAdmin,
      });
      if (response.status < 300) return;
      await sleep(500);
    }
    throw new Error(`the simulator refused ${spec ? 'faults' : 'clearing its faults'}`);
  };
  await simFaults(null);
  // The run's records (authority invoices, dead letters) are those from here on.
  const startedAt = new Date().toISOString();
  const poison = [`poison-${runId}-1`, `poison-${runId}-2`];
  await plantPoison(cluster.kafkaBrokers, poison);

  const history = [];
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);
  const sampler = startSampler(cluster.urls, cluster.kafkaBrokers, now);
  // Clients keep retrying until this moment; afterwards a client gives up and says so.
  const clientDeadline = () => plan.windowMs + quietTimeoutS * 1000;
  let accepted = 0;
  let activeFaults = [];
  const progress = () =>
    onProgress({
      phase: 'load',
      t: now(),
      accepted,
      planned: plan.orders.length,
      windowMs: plan.windowMs,
      activeFaults,
    });

  const ticker = setInterval(progress, 1000);
  const [clients, spans] = await Promise.all([
    runClients({
      plan,
      http,
      kafkaBrokers: cluster.kafkaBrokers,
      tenantId: cluster.credentials.tenantId,
      runId,
      history,
      now,
      deadline: clientDeadline,
      onAccepted: () => accepted++,
    }),
    runFaults({
      plan,
      cluster,
      authority: simFaults,
      now,
      history,
      onChange: (all) => (activeFaults = all.filter((s) => s.endMs === null).map((s) => s.name ?? s.kind)),
    }),
  ]);
  clearInterval(ticker);
  const loadEndMs = now();

  await simFaults(null); // a fault that errored must not outlive the run
  const quiet = await waitQuiet({
    http,
    prefix,
    expectedOrders: clients.filter((c) => c.accepted).length,
    timeoutMs: quietTimeoutS * 1000,
    onProgress: (state) => onProgress({ phase: 'quiet', t: now(), ...state }),
  });
  const endMs = now();
  await sampler.stop();

  const facts = await collectFacts({
    http,
    prefix,
    sellerTaxId: cluster.credentials.sellerTaxId,
    since: startedAt,
    kafkaBrokers: cluster.kafkaBrokers,
    owned: cluster.owned,
  });
  const services = await cluster.supervision();
  const invariants = checkInvariants({ ...facts, clients, poison, services });
  const ok = invariants.every((i) => i.violations.length === 0);

  const attempts = history.filter((h) => ['place', 'produce', 'cancel', 'reverse', 'replay'].includes(h.op));
  const kinds = {};
  for (const span of spans) {
    const k = (kinds[span.kind] ??= { count: 0, seconds: 0, skipped: 0 });
    if (span.skipped) k.skipped++;
    else {
      k.count++;
      k.seconds += ((span.endMs ?? span.startMs) - span.startMs) / 1000;
    }
  }
  const count = (pred) => clients.filter(pred).length;
  const figures = {
    seed: plan.seed,
    'orders planned': `${plan.orders.length} (${count((c) => c.channel === 'http')} HTTP, ${count((c) => c.channel === 'kafka')} Kafka)`,
    'orders accepted': `${count((c) => c.accepted)}; found in fapiao: ${facts.orders.length}`,
    'follow-ups': ['early-cancel', 'cancel', 'partial', 'partial-then-cancel']
      .map((f) => `${f} ${count((c) => c.followUp === f)}`)
      .join(', '),
    'replays / Kafka duplicates': `${count((c) => c.replay)} / ${count((c) => c.duplicate)}`,
    'client attempts': `${attempts.length} (${attempts.filter((a) => a.outcome !== 'ok' && a.outcome !== 'acked').length} failed and retried or refused)`,
    faults: Object.entries(kinds)
      .map(
        ([kind, k]) =>
          `${kind} ${k.count}${k.seconds >= 1 ? ` (${Math.round(k.seconds)} s)` : ''}${k.skipped ? `, ${k.skipped} skipped` : ''}`,
      )
      .join(', '),
    'unexpected exits':
      Object.entries(services)
        .filter(([, s]) => s.unexpectedExits.length)
        .flatMap(([name, s]) =>
          s.unexpectedExits.map(
            (exit) =>
              `${name} (${exit.signal ?? `exit ${exit.code}`}: ${(exit.lastLines.at(-1) ?? '').slice(0, 160)})`,
          ),
        )
        .join('; ') || 'none',
    'invoices at the authority': `${facts.authority.filter((a) => a.kind === 'blue').length} blue, ${facts.authority.filter((a) => a.kind === 'red').length} red`,
    'dead letters': facts.deadLetters.map((m) => `${m.topic} ${m.key}: ${m.code}`).join('; ') || 'none',
    'load + faults': `${Math.round(loadEndMs / 1000)} s`,
    'quiet after': `${Math.round((endMs - loadEndMs) / 1000)} s${quiet.quiet ? '' : ` (NOT quiet: ${JSON.stringify(quiet.last)})`}`,
  };

  const result = {
    ok,
    invariants,
    figures,
    services,
    plan,
    spans,
    clients,
    facts,
    history,
    samples: sampler.samples,
    startedAt,
    endMs,
  };
  if (options.outDir) write(options, result);
  return { ...result, table: formatResult({ invariants, figures }) };
}

function write(options, result) {
  const { outDir, label = 'chaos' } = options;
  mkdirSync(outDir, { recursive: true });
  const start = Date.parse(result.startedAt);
  const acceptedMs = [
    ...new Map(
      result.history
        .filter(
          (h) => (h.op === 'place' && h.outcome === 'ok') || (h.op === 'produce' && h.outcome === 'acked'),
        )
        .map((h) => [h.order, h.t]),
    ).values(),
  ];
  const issuedMs = result.facts.authority.map((invoice) => Date.parse(invoice.issuedAt) - start);
  const png = renderTimeline({
    acceptedMs,
    issuedMs,
    spans: result.spans,
    samples: result.samples,
    endMs: result.endMs,
    title: `chaos ${label}: ${result.plan.orders.length} orders, seed ${result.plan.seed} — ${result.ok ? 'all invariants hold' : 'INVARIANTS BROKEN'}`,
  });
  writeFileSync(join(outDir, `${label}-timeline.png`), png);
  // The clients hold the plan's orders with their outcomes; the facts are summed up, the table holds the rest.
  const { facts, plan, ...rest } = result;
  const json = {
    options: Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v !== 'function')),
    ...rest,
    plan: { seed: plan.seed, windowMs: plan.windowMs, loadMs: plan.loadMs, faults: plan.faults },
    facts: {
      orders: facts.orders.length,
      invoices: facts.invoices.length,
      authority: facts.authority.length,
      deadLetters: facts.deadLetters,
    },
  };
  writeFileSync(join(outDir, `${label}-history.json`), linePerItem(json));
}

/** JSON with one line per array item: compact, yet a diff or `grep` shows one operation per line. */
function linePerItem(value) {
  const fields = Object.entries(value).map(([key, item]) => {
    const text = Array.isArray(item)
      ? item.length === 0
        ? '[]'
        : `[\n${item.map((entry) => `    ${JSON.stringify(entry)}`).join(',\n')}\n  ]`
      : JSON.stringify(item);
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}
