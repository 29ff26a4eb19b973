// `npm run bench -- --orders 1000 --rate 200`: drives N orders at a chosen rate through the suite (the one
// `npm start` runs, or its own when none answers or with --own-suite), reports throughput, order→ISSUED
// latency, CPU-ms per invoice per process, SQL statements and Kafka messages per invoice, measures
// MariaDB's and Kafka's own limits in the same run, and writes JSON + a PNG into docs/. `--profile` (own
// suite only) runs every service with --cpu-prof and names the folder of the profiles. Also for the own
// suite: `--replicas invoice=2,…` runs more processes of a service (intake is spread over order's), and
// `--env KEY=VALUE` (repeatable) sets a variable for every service, e.g. ORDER_MAX_BACKLOG, and
// `--sql-profile` reports every statement of the window by shape (MariaDB's slow log). `--warmup N` sends N
// orders first, unmeasured, as a suite that has run for a while has its code compiled (the broker's JIT
// takes a minute or more). `--runs K` measures K windows on the same suite and reports the median run.
import { Agent, request } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, setPriority } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import semver from 'semver';
import { brokerBaseline, mariadbBaseline } from './baselines.mjs';
import { renderPlot } from './plot.mjs';
import { startSqlProfile } from './sql-profile.mjs';
import { sampleOrderBody } from '../lib/sample-order.mjs';
import { formatCost, medians, perInvoice, pidListeningOn, snapshot } from './cost.mjs';
import {
  dropSchemas,
  isReady,
  NODE_OPTIONS,
  npmStartState,
  parseMysqlUrl,
  ROOT,
  services,
  startSuite,
} from '../dev-supervisor/suite.mjs';

const USAGE = `usage: npm run bench -- [options]
  --orders N          orders measured (1000)
  --rate R            orders offered per second (200)
  --inflight N        requests in flight at most (256)
  --warmup N          orders sent and awaited first, unmeasured (0)
  --runs K            measure K windows of --orders one after another on the same suite and report the
                      run of median throughput, with every run's figures and each figure's median (1)
  --timeout-s S       give up on unfinished orders after S seconds (600)
  --label NAME        names the JSON and PNG written to docs/benchmarks/
  --no-baselines      skip measuring MariaDB's and Kafka's own limits
  --idle-s S          how long the idle suite is measured, after any warm-up (5)
  --nice S=N,…        a scheduling priority per process, e.g. order=-10 (bench: this client)
  --own-suite         start a suite of its own even when npm start is running
  with --own-suite:
  --profile           every service with --cpu-prof (profiles under .fapiao/bench/profiles/)
  --sql-profile       every statement of the window by shape (MariaDB's slow log)
  --env KEY=VALUE     a variable for every service (repeatable)
  --replicas S=N,…    more processes of a service, e.g. invoice=2`;

/** A bad command line: what is wrong, then the usage; exit 2. */
function refuse(message) {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      orders: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '200' },
      inflight: { type: 'string', default: '256' },
      'timeout-s': { type: 'string', default: '600' },
      'no-baselines': { type: 'boolean', default: false },
      label: { type: 'string', default: '' },
      'own-suite': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'idle-s': { type: 'string', default: '5' },
      // Orders sent (at --rate) and awaited before anything is measured: a long-running suite's JIT is warm.
      warmup: { type: 'string', default: '0' },
      // Windows measured one after another: a single run on a shared 2-core box varies more than most changes.
      runs: { type: 'string', default: '1' },
      // Own suite only: every statement of the window from MariaDB's slow log, by shape (sql-profile.mjs).
      'sql-profile': { type: 'boolean', default: false },
      // KEY=VALUE for every service of the bench's own suite, e.g. --env ORDER_MAX_BACKLOG=500.
      env: { type: 'string', multiple: true, default: [] },
      // service=count,… for the bench's own suite, e.g. --replicas invoice=2,reconciliation=2.
      replicas: { type: 'string', default: '' },
      // service=nice,… e.g. --nice order=-10: a scheduling priority per process, as CPU requests give pods
      // their share on a shared node (here every process competes for the same two cores).
      nice: { type: 'string', default: '' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  refuse(error.message);
}
const args = parsed.values;
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const niceness = Object.fromEntries(
  args.nice
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [name, value] = pair.split('=');
      if (!name || !Number.isInteger(Number(value)))
        throw new Error(`--nice ${pair}: expected service=-20…19`);
      return [name, Number(value)];
    }),
);
const replicas = Object.fromEntries(
  args.replicas
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [name, count] = pair.split('=');
      if (!name || !(Number(count) >= 1)) throw new Error(`--replicas ${pair}: expected service=count`);
      return [name, Number(count)];
    }),
);
const suiteOverrides = Object.fromEntries(
  args.env.map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--env ${pair}: expected KEY=VALUE`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
// The suite runs on this process's Node: an older one on the PATH (`node tools/bench/main.mjs`) would
// measure another runtime than the services ship on. `npm run bench` runs the project's.
const { engines } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
if (!semver.satisfies(process.version, engines.node))
  throw new Error(`the bench runs on Node ${process.version}, not ${engines.node}: use npm run bench`);
const N = Number(args.orders);
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) refuse(`--runs ${args.runs}: expected a whole number of runs ≥ 1`);
if (RUNS > 1 && args['sql-profile']) refuse('--sql-profile logs one window: use it with --runs 1');
const RATE = Number(args.rate);
const MAX_INFLIGHT = Number(args.inflight);
const mysqlUrl = process.env.MYSQL_URL || 'mysql://root@127.0.0.1:3306';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const portOf = (address) => Number(address?.split(',')[0].split(':').at(-1));
const isLoopback = (host) => ['127.0.0.1', 'localhost', '::1'].includes(host);

// Summed over order's replicas (order, order#2, …).
const outcomeCount = (services) =>
  Object.entries(services)
    .filter(([name]) => name.split('#')[0] === 'order')
    .flatMap(([, metrics]) =>
      ['InvoiceIssued', 'InvoiceRejected'].map(
        (type) => metrics[`fapiao_messages_consumed_total{type="${type}"}`] ?? 0,
      ),
    )
    .reduce((sum, count) => sum + count, 0);
const traffic = (services) =>
  Object.values(services).reduce(
    (sum, m) => sum + (m.fapiao_messages_consumed_total ?? 0) + (m.fapiao_outbox_published_total ?? 0),
    0,
  );

/** name → pid of the processes whose CPU the bench reads: MariaDB and the broker when on this machine. */
function infrastructurePids(kafkaBrokers) {
  const db = parseMysqlUrl(mysqlUrl);
  const broker = kafkaBrokers?.split(',')[0];
  return {
    kafka: broker && isLoopback(broker.split(':')[0]) ? pidListeningOn(portOf(broker)) : null,
    mariadb: isLoopback(db.host) ? pidListeningOn(db.port) : null,
  };
}

/** The running `npm start` suite, or a fresh one of our own (stopped at the end). */
async function suiteUnderTest() {
  if (args.profile && !args['own-suite'] && (await isReady('http://127.0.0.1:3002', 1000)))
    throw new Error('--profile starts its own suite: add --own-suite (npm start is running on :3002)');
  if ((args.env.length > 0 || args.replicas) && !args['own-suite'])
    throw new Error("--env and --replicas configure the bench's own suite: add --own-suite");
  if (args['sql-profile'] && !args['own-suite'])
    throw new Error('--sql-profile logs the connections a suite opens after it starts: add --own-suite');
  if (args['sql-profile'] && !isLoopback(parseMysqlUrl(mysqlUrl).host))
    throw new Error("--sql-profile reads MariaDB's slow log file: MariaDB must run on this machine");
  if (!args['own-suite'] && (await isReady('http://127.0.0.1:3002', 1000))) {
    const state = npmStartState();
    const all = services();
    return {
      base: (port) => `http://127.0.0.1:${port}`,
      ...state,
      urls: Object.fromEntries(all.map((s) => [s.name, `http://127.0.0.1:${s.defaultPort}`])),
      pids: () => ({
        ...Object.fromEntries(all.map((s) => [s.name, pidListeningOn(s.defaultPort)])),
        ...infrastructurePids(state.kafkaBrokers),
      }),
      stop: async () => {},
    };
  }
  console.log('starting a suite of our own (Apache Kafka, bench_ schemas)…');
  const profileDir = args.profile
    ? join(ROOT, '.fapiao/bench/profiles', new Date().toISOString().replace(/[:.]/g, '-'))
    : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  // Fresh schemas, as the broker is fresh: otherwise every run inherits the rows of the ones before it (the
  // outboxes and inboxes keep 24 h and more), and no two runs start from the same tables.
  await dropSchemas(mysqlUrl, 'bench_');
  const { startKafka } = await import('../kafka/kafka.mjs');
  const broker = await startKafka({ topics: true });
  const sqlProfile = args['sql-profile'] ? await startSqlProfile(parseMysqlUrl(mysqlUrl)) : null;
  const suite = await startSuite({
    mysqlUrl,
    kafkaBrokers: broker.bootstrap,
    stateDir: join(ROOT, '.fapiao/bench'),
    portOffset: 500,
    dbPrefix: 'bench_',
    replicas,
    extra: {
      LOG_LEVEL: 'warn',
      SIM_MAINTENANCE_ENABLED: 'false',
      TAX_MAINTENANCE_ENABLED: 'false',
      SIM_RATE_LIMIT_PER_SECOND: '0',
      TAX_RATE_LIMIT_PER_SECOND: '100000',
      // Written when each process exits (SIGTERM at the end); the migrations' and seed's own are removed.
      ...(profileDir && { NODE_OPTIONS: `${NODE_OPTIONS} --cpu-prof --cpu-prof-dir=${profileDir}` }),
      ...suiteOverrides,
    },
  });
  const servicePids = () => Object.fromEntries(suite.running.map((r) => [r.name, r.child.pid]));
  const pidsAtStart = servicePids();
  return {
    base: (port) => `http://127.0.0.1:${port + 500}`,
    credentials: suite.credentials,
    kafkaBrokers: broker.bootstrap,
    urls: Object.fromEntries(suite.running.map((r) => [r.name, r.url])),
    /** Every process of order: intake is spread over them. */
    orderUrls: suite.running.filter((r) => r.service.name === 'order').map((r) => r.url),
    pids: () => ({ ...servicePids(), ...infrastructurePids(broker.bootstrap) }),
    profileDir,
    sqlProfile,
    stop: async () => {
      await sqlProfile?.stop();
      await suite.stop();
      await broker.stop();
      if (profileDir) nameProfiles(profileDir, pidsAtStart);
    },
  };
}

/** `CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile` → `<service>.cpuprofile`; others (migrations) go. */
function nameProfiles(dir, pids) {
  const serviceOf = new Map(Object.entries(pids).map(([name, pid]) => [String(pid), name]));
  for (const file of readdirSync(dir)) {
    const pid = /^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1];
    if (!pid) continue;
    if (serviceOf.has(pid)) renameSync(join(dir, file), join(dir, `${serviceOf.get(pid)}.cpuprofile`));
    else rmSync(join(dir, file));
  }
  const named = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  console.log(`CPU profiles (${named.join(', ') || 'none'}) in ${dir}`);
}

async function main() {
  const sut = await suiteUnderTest();
  // Given back afterwards: MariaDB (and npm start's processes) outlive the bench.
  const priorities = [];
  for (const [name, pid] of Object.entries({ ...sut.pids(), bench: process.pid })) {
    const base = name.split('#')[0];
    if (!pid || niceness[base] === undefined) continue;
    priorities.push([pid, getPriority(pid)]);
    setPriority(pid, niceness[base]);
  }
  try {
    await run(sut);
  } finally {
    for (const [pid, priority] of priorities) {
      try {
        setPriority(pid, priority);
      } catch {
        // the process has ended
      }
    }
    await sut.stop();
  }
}

async function run(sut) {
  const orderUrl = sut.base(3002);
  const intakeUrls = sut.orderUrls ?? [orderUrl];
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
  /** An error answer's stable code (ORDER.BACKLOG_FULL, …), or '' for a body without one. */
  const codeOf = (text) => {
    try {
      return JSON.parse(text).code ?? '';
    } catch {
      return '';
    }
  };
  // The client shares the box with the suite: node:http with kept-alive connections costs it a third of
  // what fetch (undici) does per request (0.12 against 0.25–0.45 CPU-ms, measured apart).
  const post = (agent, url, { headers: postHeaders, body: text }) =>
    new Promise((resolve, reject) => {
      const sent = request(
        url,
        { method: 'POST', agent, headers: { ...postHeaders, 'content-length': Buffer.byteLength(text) } },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }),
          );
          response.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.end(text);
    });
  /**
   * Posts `count` orders at --rate, at most --inflight at a time; resolves with the accepted ids, the
   * refusals by status and code, and every answer's time (201 or not: what a client of intake sees under load).
   */
  const offer = async (count, tag) => {
    const posted = progress(tag === 'warmup' ? 'warm-up posted' : 'posted');
    posted.start(count, 0);
    const accepted = [];
    const failures = {};
    const intakeMs = [];
    const intakeTimeline = [];
    let inflight = 0;
    const started = Date.now();
    const sends = [];
    // One agent per phase. Idle connections are closed before the server's keep-alive timeout (5 s):
    // reusing one the server is closing resets the request, and without a timeout of its own the agent
    // ignores the server's hint.
    const agent = new Agent({ keepAlive: true, maxSockets: MAX_INFLIGHT, timeout: 4_000 });
    // This client's own delays are in every answer's time: measured, so that they can be told apart.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    for (let i = 0; i < count; i += 1) {
      const due = started + (i * 1000) / RATE;
      while (Date.now() < due || inflight >= MAX_INFLIGHT)
        await sleep(Math.max(1, Math.min(5, due - Date.now())));
      inflight += 1;
      const sentAt = performance.now();
      sends.push(
        post(agent, `${intakeUrls[i % intakeUrls.length]}/v1/orders`, {
          headers: { ...headers, 'idempotency-key': `bench-${runId}-${tag}-${i}` },
          body: JSON.stringify(body(`${tag}-${i}`)),
        })
          .then((response) => {
            if (response.status === 201) accepted.push(JSON.parse(response.text).id);
            else {
              // By status and the error's code (ORDER.BACKLOG_FULL, ORDER.INTAKE_BUSY, …) when it has one.
              const key = `${response.status} ${codeOf(response.text)}`.trim();
              failures[key] = (failures[key] ?? 0) + 1;
            }
            const ms = performance.now() - sentAt;
            intakeMs.push(ms);
            intakeTimeline.push({
              second: Math.floor((Date.now() - started) / 1000),
              status: response.status,
              ms,
            });
          })
          .catch(
            (error) => (failures[error.code ?? 'network'] = (failures[error.code ?? 'network'] ?? 0) + 1),
          )
          .finally(() => {
            inflight -= 1;
            posted.increment();
          }),
      );
    }
    await Promise.all(sends);
    loopDelay.disable();
    agent.destroy();
    posted.stop();
    const clientLoopDelayMs = {
      p99: +(loopDelay.percentile(99) / 1e6).toFixed(1),
      max: +(loopDelay.max / 1e6).toFixed(1),
    };
    return {
      accepted,
      failures,
      intakeMs,
      intakeTimeline,
      clientLoopDelayMs,
      postSeconds: (Date.now() - started) / 1000,
    };
  };

  // Wait on the services' metrics, not on the API (polling every order would add its own CPU and SQL to the
  // window): until order has consumed an InvoiceIssued or InvoiceRejected per accepted order, and no service
  // has consumed or published a message for SETTLE_MS (reconciliation and the relays are done too).
  const SETTLE_MS = 2000;
  // Per phase (the warm-up, each run): set again before each.
  let deadline = Date.now() + Number(args['timeout-s']) * 1000;
  const settle = async (from, expected, tag) => {
    const issuedBar = progress(tag === 'warmup' ? 'warm-up issued' : 'issued');
    issuedBar.start(expected, 0);
    const outcomesBefore = outcomeCount(from.services);
    let lastTraffic = -1;
    let quietSince = Date.now();
    let end = from;
    let settled = false;
    while (Date.now() < deadline) {
      end = await snapshot({ pids, urls: sut.urls });
      const done = outcomeCount(end.services) - outcomesBefore;
      issuedBar.update(Math.min(done, expected));
      const now = traffic(end.services);
      if (now !== lastTraffic) [lastTraffic, quietSince] = [now, Date.now()];
      if (done >= expected && Date.now() - quietSince >= SETTLE_MS) {
        settled = true;
        break;
      }
      await sleep(1000);
    }
    issuedBar.stop();
    return { settled, end };
  };

  const pids = sut.pids();
  const warmup = Number(args.warmup);
  if (warmup > 0) {
    const before = await snapshot({ pids, urls: sut.urls });
    const { accepted } = await offer(warmup, 'warmup');
    await settle(before, accepted.length, 'warmup');
  }
  // What the suite costs doing nothing (consumers polling, relays sweeping), over --idle-s before the run.
  const idleSeconds = Number(args['idle-s']);
  let idle = null;
  if (idleSeconds > 0) {
    const idleStart = await snapshot({ pids, urls: sut.urls });
    await sleep(idleSeconds * 1000);
    idle = perInvoice(idleStart, await snapshot({ pids, urls: sut.urls }), 0);
  }
  /**
   * One measured window: from just before the first order to the suite's settling after the last invoice;
   * then every order's invoice is read (outside the window).
   */
  const measure = async (tag) => {
    deadline = Date.now() + Number(args['timeout-s']) * 1000;
    sut.sqlProfile?.window();
    const windowStart = await snapshot({ pids, urls: sut.urls });
    const offered = await offer(N, tag);
    const { accepted } = offered;
    const { settled, end: windowEnd } = await settle(windowStart, accepted.length, tag);
    // Before the reads below, which are not the suite's work.
    const sqlProfile = (await sut.sqlProfile?.stop(40)) ?? null;

    // Then read every order's invoice (outside the window), waiting for any not yet done.
    const pending = new Set(accepted);
    const results = new Map();
    while (pending.size > 0 && Date.now() < deadline) {
      const batch = [...pending].slice(0, 64);
      await Promise.all(
        batch.map(async (orderId) => {
          const response = await fetch(`${invoiceUrl}/v1/invoices?orderId=${orderId}`, { headers });
          const [invoice] = (await response.json()).items ?? [];
          if (invoice?.status === 'ISSUED' || invoice?.status === 'REJECTED') {
            pending.delete(orderId);
            results.set(orderId, invoice);
          }
        }),
      );
      if (batch.every((id) => pending.has(id))) await sleep(250);
    }

    // 64 at a time, as above: all at once opened a connection per order, more than the listener's backlog.
    const orders = new Map();
    for (let start = 0; start < accepted.length; start += 64)
      await Promise.all(
        accepted
          .slice(start, start + 64)
          .map(async (id) =>
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
    const cost = {
      ...perInvoice(windowStart, windowEnd, latencies.length),
      settled,
      profiled: Boolean(sut.profileDir),
      pids,
    };
    return {
      ...offered,
      settled,
      results,
      pending,
      latencies,
      perSecond,
      spanSeconds,
      cost,
      sqlProfile,
      windowStart,
      windowEnd,
    };
  };
  const throughputOf = (m) => (m.spanSeconds ? m.latencies.length / m.spanSeconds : 0);
  const summary = (m) => ({
    throughputIssuedPerSecond: +throughputOf(m).toFixed(1),
    p50Ms: percentile(m.latencies, 50) ?? null,
    p99Ms: percentile(m.latencies, 99) ?? null,
    intakeP99Ms: m.intakeMs.length
      ? Math.round(
          percentile(
            [...m.intakeMs].sort((a, b) => a - b),
            99,
          ),
        )
      : null,
    cpuMsPerInvoice: m.cost.totalCpuMsPerInvoice,
    statementsPerInvoice: m.cost.statementsPerInvoice,
    machineIdleMs: m.cost.machine?.idleMs ?? null,
    cpuMsPerInvoiceBy: Object.fromEntries(
      Object.entries(m.cost.cpu).map(([name, { cpuMsPerInvoice }]) => [name, cpuMsPerInvoice]),
    ),
  });
  const measured = [];
  for (let i = 1; i <= RUNS; i += 1) measured.push(await measure(RUNS > 1 ? `run${i}` : 'run'));
  // The run of median throughput gives the report's figures (the lower middle one of an even count).
  const median = [...measured].sort((x, y) => throughputOf(x) - throughputOf(y))[Math.floor((RUNS - 1) / 2)];
  const {
    accepted,
    failures,
    intakeMs,
    intakeTimeline,
    clientLoopDelayMs,
    postSeconds,
    settled,
    results,
    pending,
    latencies,
    perSecond,
    cost,
    sqlProfile,
    windowStart,
    windowEnd,
  } = median;

  const report = {
    at: new Date().toISOString(),
    label: args.label,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    requested: {
      orders: N,
      ratePerSecond: RATE,
      maxInflight: MAX_INFLIGHT,
      warmupOrders: Number(args.warmup),
      runs: RUNS,
      replicas,
      env: suiteOverrides,
      nice: niceness,
    },
    accepted: accepted.length,
    failures,
    issued: latencies.length,
    rejected: [...results.values()].filter((i) => i.status === 'REJECTED').length,
    unfinished: pending.size,
    offeredRatePerSecond: +(N / postSeconds).toFixed(1),
    throughputIssuedPerSecond: +throughputOf(median).toFixed(1),
    peakIssuedPerSecond: Math.max(0, ...perSecond),
    intakeMs: intakeMs.length
      ? (() => {
          const sorted = intakeMs.sort((a, b) => a - b).map((ms) => Math.round(ms));
          return {
            p50: percentile(sorted, 50),
            p99: percentile(sorted, 99),
            max: sorted.at(-1),
          };
        })()
      : null,
    // Per 10 s of the run (by answer time): answers, of which 429, and the p99 time of each kind.
    intakeBy10s: Object.values(
      intakeTimeline.reduce((windows, { second, status, ms }) => {
        const from = Math.floor(second / 10) * 10;
        const window = (windows[from] ??= { from, accepted: [], refused: [] });
        (status === 429 ? window.refused : window.accepted).push(ms);
        return windows;
      }, {}),
    ).map(({ from, accepted, refused }) => {
      const p99 = (times) =>
        times.length
          ? Math.round(
              percentile(
                times.sort((a, b) => a - b),
                99,
              ),
            )
          : null;
      return {
        from,
        answers: accepted.length + refused.length,
        refused: refused.length,
        p99Accepted: p99(accepted),
        p99Refused: p99(refused),
      };
    }),
    // This client's event-loop delay while posting: part of every intake time above.
    clientLoopDelayMs,
    latencyMs: latencies.length
      ? {
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          max: latencies.at(-1),
        }
      : null,
    cost,
    // --runs K > 1: the report above is the run of median throughput; each run's figures, and each
    // figure's own median over the runs (from different runs, so not one run's).
    ...(RUNS > 1 && { runs: measured.map(summary), medians: medians(measured.map(summary)) }),
    // Resident memory of every process: idle (before the window) and at its peak (by the window's end).
    memoryMb: Object.fromEntries(
      Object.entries(windowEnd.processes)
        .filter(([, entry]) => entry.memoryMb)
        .map(([name, entry]) => [
          name,
          { idleRss: windowStart.processes[name]?.memoryMb?.rss ?? null, peakRss: entry.memoryMb.peak },
        ]),
    ),
    idle: idle && {
      seconds: idle.windowSeconds,
      cpuMsPerSecond: Object.fromEntries(
        Object.entries(idle.cpu).map(([name, { cpuMs }]) => [name, +(cpuMs / idle.windowSeconds).toFixed(1)]),
      ),
      statementsPerSecond: Object.fromEntries(
        Object.entries(idle.services).map(([name, { statements }]) => [
          name,
          +(statements.count / idle.windowSeconds).toFixed(1),
        ]),
      ),
    },
    // --sql-profile: the window's statements by database and shape, the most time inside MariaDB first.
    sqlProfile,
    baselines: args['no-baselines']
      ? null
      : {
          mariadb: await mariadbBaseline(parseMysqlUrl(mysqlUrl)),
          kafka: sut.kafkaBrokers ? await brokerBaseline(sut.kafkaBrokers.split(',')) : null,
        },
  };

  const outDir = join(ROOT, 'docs/benchmarks');
  mkdirSync(outDir, { recursive: true });
  const name = `bench-${N}x${RATE}${args.label ? `-${args.label}` : ''}`;
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    join(outDir, `${name}.png`),
    renderPlot({
      latenciesMs: latencies,
      perSecond,
      subtitle: `${N} orders offered at ${RATE}/s on ${report.machine.cpus} cores — p50 ${report.latencyMs?.p50} ms, p99 ${report.latencyMs?.p99} ms, ${report.throughputIssuedPerSecond} issued/s${RUNS > 1 ? ` (the median run of ${RUNS})` : ''}`,
    }),
  );
  console.log(JSON.stringify(report, null, 2));
  console.log(formatCost(cost));
  if (report.runs) {
    console.log('runs (the report is the run of median throughput):');
    console.log('  run   issued/s   p50 ms   p99 ms   intake p99   CPU-ms/invoice   SQL/invoice');
    const row = (label, r) =>
      console.log(
        `  ${label.padEnd(6)}${String(r.throughputIssuedPerSecond).padStart(8)} ${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(8)} ${String(r.intakeP99Ms).padStart(12)} ${String(r.cpuMsPerInvoice).padStart(16)} ${String(r.statementsPerInvoice).padStart(13)}`,
      );
    report.runs.forEach((r, i) => row(String(i + 1), r));
    row('median', report.medians);
  }
  if (sqlProfile) {
    console.log('statements by time inside MariaDB (calls per invoice, µs a call, rows examined a call):');
    for (const shape of sqlProfile.slice(0, 15))
      console.log(
        `  ${(shape.count / Math.max(1, latencies.length)).toFixed(2).padStart(6)} ${String(shape.usPerCall).padStart(7)} µs ${String(shape.rowsExaminedPerCall).padStart(8)}  ${shape.schema} ${shape.statement.slice(0, 110)}`,
      );
  }
  if (!settled) console.log('the suite had not settled by --timeout-s: the window ends there');
  console.log(`wrote docs/benchmarks/${name}.json and .png`);
  if (!existsSync(join(ROOT, 'docs/benchmarks.md'))) console.log('add the figures to docs/benchmarks.md');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
