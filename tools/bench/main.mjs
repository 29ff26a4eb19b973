// `npm run bench -- --orders 1000 --rate 200`: drives N orders at a chosen rate through the suite (the one
// `npm start` runs, or its own when none answers), reports throughput and order→ISSUED latency, measures
// MariaDB's and Kafka's own limits in the same run, and writes JSON + a PNG into docs/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { brokerBaseline, mariadbBaseline } from './baselines.mjs';
import { renderPlot } from './plot.mjs';
import { sampleOrderBody } from '../lib/sample-order.mjs';
import { isReady, npmStartState, parseMysqlUrl, ROOT, startSuite } from '../dev-supervisor/suite.mjs';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '200' },
    inflight: { type: 'string', default: '256' },
    'timeout-s': { type: 'string', default: '600' },
    'no-baselines': { type: 'boolean', default: false },
    label: { type: 'string', default: '' },
  },
});
const N = Number(args.orders);
const RATE = Number(args.rate);
const MAX_INFLIGHT = Number(args.inflight);
const mysqlUrl = process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** The running `npm start` suite, or a fresh one of our own (stopped at the end). */
async function suiteUnderTest() {
  if (await isReady('http://127.0.0.1:3002', 1000)) {
    return { base: (port) => `http://127.0.0.1:${port}`, ...npmStartState(), stop: async () => {} };
  }
  console.log('no running suite on :3002 — starting one (Apache Kafka, bench_ schemas)…');
  const { startKafka } = await import('../kafka/kafka.mjs');
  const broker = await startKafka({ topics: true });
  const suite = await startSuite({
    mysqlUrl,
    kafkaBrokers: broker.bootstrap,
    stateDir: join(ROOT, '.fapiao/bench'),
    portOffset: 500,
    dbPrefix: 'bench_',
    extra: {
      LOG_LEVEL: 'warn',
      SIM_MAINTENANCE_ENABLED: 'false',
      TAX_MAINTENANCE_ENABLED: 'false',
      SIM_RATE_LIMIT_PER_SECOND: '0',
      TAX_RATE_LIMIT_PER_SECOND: '100000',
    },
  });
  return {
    base: (port) => `http://127.0.0.1:${port + 500}`,
    credentials: suite.credentials,
    kafkaBrokers: broker.bootstrap,
    stop: async () => {
      await suite.stop();
      await broker.stop();
    },
  };
}

async function main() {
  const sut = await suiteUnderTest();
  try {
    await run(sut);
  } finally {
    await sut.stop();
  }
}

async function run(sut) {
  const orderUrl = sut.base(3002);
  const invoiceUrl = sut.base(3003);
  const { access_token: token } = await (
    await fetch(`${sut.base(3001)}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sut.credentials.clientId,
        client_secret: sut.credentials.clientSecret,
      }),
    })
  ).json();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const runId = Date.now().toString(36);
  const body = (i) => sampleOrderBody(`BENCH-${runId}-${i}`);

  const progress = (phase) =>
    new cliProgress.SingleBar(
      { format: ` ${phase} [{bar}] {value}/{total} {duration}s`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
  const posted = progress('posted');
  posted.start(N, 0);

  const accepted = [];
  const failures = {};
  let inflight = 0;
  const started = Date.now();
  const sends = [];
  for (let i = 0; i < N; i += 1) {
    const due = started + (i * 1000) / RATE;
    while (Date.now() < due || inflight >= MAX_INFLIGHT)
      await sleep(Math.max(1, Math.min(5, due - Date.now())));
    inflight += 1;
    sends.push(
      fetch(`${orderUrl}/v1/orders`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `bench-${runId}-${i}` },
        body: JSON.stringify(body(i)),
      })
        .then(async (response) => {
          if (response.status === 201) accepted.push((await response.json()).id);
          else failures[response.status] = (failures[response.status] ?? 0) + 1;
        })
        .catch((error) => (failures[error.code ?? 'network'] = (failures[error.code ?? 'network'] ?? 0) + 1))
        .finally(() => {
          inflight -= 1;
          posted.increment();
        }),
    );
  }
  await Promise.all(sends);
  posted.stop();
  const postSeconds = (Date.now() - started) / 1000;
  const issuedBar = progress('issued');
  issuedBar.start(accepted.length, 0);

  // Wait until every accepted order has its invoice ISSUED (or the timeout), then read the timings.
  const pending = new Set(accepted);
  const results = new Map();
  const deadline = Date.now() + Number(args['timeout-s']) * 1000;
  while (pending.size > 0 && Date.now() < deadline) {
    const batch = [...pending].slice(0, 64);
    await Promise.all(
      batch.map(async (orderId) => {
        const response = await fetch(`${invoiceUrl}/v1/invoices?orderId=${orderId}`, { headers });
        const [invoice] = (await response.json()).items ?? [];
        if (invoice?.status === 'ISSUED' || invoice?.status === 'REJECTED') {
          pending.delete(orderId);
          results.set(orderId, invoice);
          issuedBar.increment();
        }
      }),
    );
    if (batch.every((id) => pending.has(id))) await sleep(250);
  }
  issuedBar.stop();

  const orders = new Map();
  await Promise.all(
    accepted.map(async (id) =>
      orders.set(id, await (await fetch(`${orderUrl}/v1/orders/${id}`, { headers })).json()),
    ),
  );
  const latencies = [];
  const issuedTimes = [];
  for (const [orderId, invoice] of results) {
    if (invoice.status !== 'ISSUED') continue;
    const issuedAt = Date.parse(invoice.issuedAt);
    latencies.push(issuedAt - Date.parse(orders.get(orderId).createdAt));
    issuedTimes.push(issuedAt);
  }
  latencies.sort((a, b) => a - b);
  issuedTimes.sort((a, b) => a - b);
  const firstCreated = Math.min(...[...orders.values()].map((o) => Date.parse(o.createdAt)));
  const spanSeconds = issuedTimes.length ? (issuedTimes.at(-1) - firstCreated) / 1000 : 0;
  const perSecond = [];
  for (const at of issuedTimes) {
    const second = Math.floor((at - firstCreated) / 1000);
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  }
  for (let i = 0; i < perSecond.length; i += 1) perSecond[i] ??= 0;

  const report = {
    at: new Date().toISOString(),
    label: args.label,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    requested: { orders: N, ratePerSecond: RATE, maxInflight: MAX_INFLIGHT },
    accepted: accepted.length,
    failures,
    issued: latencies.length,
    rejected: [...results.values()].filter((i) => i.status === 'REJECTED').length,
    unfinished: pending.size,
    offeredRatePerSecond: +(N / postSeconds).toFixed(1),
    throughputIssuedPerSecond: spanSeconds ? +(latencies.length / spanSeconds).toFixed(1) : 0,
    peakIssuedPerSecond: Math.max(0, ...perSecond),
    latencyMs: latencies.length
      ? {
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: latencies.at(-1),
        }
      : null,
    baselines: args['no-baselines']
      ? null
      : {
          mariadb: await mariadbBaseline(parseMysqlUrl(mysqlUrl)),
          kafka: sut.kafkaBrokers ? await brokerBaseline(sut.kafkaBrokers.split(',')) : null,
        },
  };

  const outDir = join(ROOT, 'docs/benchmarks');
  mkdirSync(outDir, { recursive: true });
  const name = `bench-${N}x${RATE}`;
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    join(outDir, `${name}.png`),
    renderPlot({
      latenciesMs: latencies,
      perSecond,
      subtitle: `${N} orders offered at ${RATE}/s on ${report.machine.cpus} cores — p50 ${report.latencyMs?.p50} ms, p99 ${report.latencyMs?.p99} ms, ${report.throughputIssuedPerSecond} issued/s`,
    }),
  );
  console.log(JSON.stringify(report, null, 2));
  console.log(`wrote docs/benchmarks/${name}.json and .png`);
  if (!existsSync(join(ROOT, 'docs/benchmarks.md'))) console.log('add the figures to docs/benchmarks.md');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
