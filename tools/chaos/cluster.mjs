// The system under chaos: its own Apache Kafka, MariaDB behind a TCP proxy it can cut, and the six
// services as processes kept alive the way a kubelet would (a process that ends is started again with the
// same command and environment). Or, attached to `npm start`, the suite as it is (authority faults only).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKafka } from '../kafka/kafka.mjs';
import { TcpProxy } from '../lib/tcp-proxy.mjs';
import {
  dropSchemas,
  isReady,
  npmStartState,
  parseMysqlUrl,
  services,
  startService,
  startSuite,
  waitReady,
} from '../dev-supervisor/suite.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A kubelet's restart back-off, shortened: 1 s after the first unexpected exit, doubling, at most 16 s. */
const backoffMs = (consecutive) => Math.min(16_000, 1000 * 2 ** Math.max(0, consecutive - 1));

/**
 * Settings that make faults show within a run's seconds rather than production minutes; none of them
 * switches a guarantee off.
 */
export const CHAOS_ENV = {
  LOG_LEVEL: 'warn',
  SIM_MAINTENANCE_ENABLED: 'false',
  TAX_MAINTENANCE_ENABLED: 'false',
  SIM_RATE_LIMIT_PER_SECOND: '0',
  CONSUMER_SESSION_TIMEOUT_MS: '6000',
  CONSUMER_RETRY_DELAY_MS: '200',
  RECON_SWEEP_INTERVAL_MS: '2000',
  TAX_AUTHORITY_TIMEOUT_MS: '1500',
  TAX_RETRY_BASE_MS: '100',
  TAX_RETRY_CAP_MS: '2000',
  TAX_CIRCUIT_HALF_OPEN_MS: '2000',
  TAX_CIRCUIT_FAILURE_RATIO: '0.7',
  TAX_FORWARD_POLL_MS: '100',
  TAX_FORM_POLL_MS: '300',
  TAX_FORM_POLL_MAX_MS: '1000',
  SHUTDOWN_GRACE_MS: '5000',
  // Tokens expire within every run, so the clients' renewal is part of it.
  AUTH_TOKEN_TTL_SECONDS: '60',
};

/**
 * Starts Kafka, the proxy and the suite (schemas `dbPrefix`*, dropped first).
 * @returns the cluster: `urls`, `credentials`, `simAdminToken`, `kafkaBrokers`, fault actions, `supervision()`, `stop()`.
 */
export async function startCluster({ mysqlUrl, portOffset, dbPrefix, log: forward = () => {}, extra = {} }) {
  // The last lines of each service, kept so an unexpected exit can be reported with its last words.
  const recent = new Map();
  const log = (service, line) => {
    const lines = recent.get(service) ?? [];
    lines.push(line);
    if (lines.length > 20) lines.shift();
    recent.set(service, lines);
    forward(service, line);
  };
  const broker = await startKafka({ topics: true, log: (line) => log('kafka', line) });
  const db = parseMysqlUrl(mysqlUrl);
  const proxy = new TcpProxy(db.host, db.port);
  await proxy.up();
  const proxied = new URL(mysqlUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  let suite;
  try {
    await dropSchemas(mysqlUrl, dbPrefix);
    suite = await startSuite({
      mysqlUrl: proxied.toString(),
      kafkaBrokers: broker.bootstrap,
      stateDir: mkdtempSync(join(tmpdir(), 'fapiao-chaos-')),
      portOffset,
      dbPrefix,
      extra: { ...CHAOS_ENV, ...extra },
      log,
    });
  } catch (error) {
    await broker.stop();
    await proxy.down();
    throw error;
  }

  let stopping = false;
  const byName = new Map(suite.running.map((entry) => [entry.service.name, entry]));
  const state = new Map(
    suite.running.map((entry) => [
      entry.service.name,
      { expected: 0, unexpected: [], consecutive: 0, restarts: 0, ready: true },
    ]),
  );

  const watch = (entry) => {
    const child = entry.child;
    child.once('exit', async (code, signal) => {
      if (stopping || entry.child !== child) return;
      const s = state.get(entry.service.name);
      s.ready = false;
      if (s.expected > 0) {
        s.expected--;
        s.consecutive = 0;
      } else {
        s.consecutive++;
        s.unexpected.push({
          at: new Date().toISOString(),
          code,
          signal,
          lastLines: [...(recent.get(entry.service.name) ?? [])],
        });
        await sleep(backoffMs(s.consecutive));
        if (stopping) return;
      }
      entry.child = startService(entry.service, entry.env, log);
      s.restarts++;
      watch(entry);
      waitReady(entry.url, 120_000, entry.child).then(
        () => {
          if (entry.child.exitCode === null) s.ready = true;
        },
        () => {}, // the next exit is handled above; a hung start shows as not ready at the end
      );
    });
  };
  suite.running.forEach(watch);

  /** Ends a service with `signal`; the watcher starts it again. Resolves once the new process is ready. */
  const restart = async (name, signal) => {
    const entry = byName.get(name);
    const old = entry.child;
    state.get(name).expected++;
    const exited = new Promise((resolve) => old.once('exit', resolve));
    old.kill(signal);
    await exited;
    while (entry.child === old) await sleep(20);
    await waitReady(entry.url, 120_000).catch(() => {});
  };

  return {
    owned: true,
    urls: Object.fromEntries(suite.running.map((entry) => [entry.service.name, entry.url])),
    credentials: suite.credentials,
    simAdminToken: suite.simAdminToken,
    kafkaBrokers: broker.bootstrap,
    faults: {
      kill: (service) => restart(service, 'SIGKILL'),
      restart: (service) => restart(service, 'SIGTERM'),
      brokerDown: () => broker.down(),
      brokerUp: () => broker.up(),
      brokerPause: async () => broker.pause(),
      brokerResume: async () => broker.resume(),
      dbCut: () => proxy.down(),
      dbRestore: () => proxy.up(),
    },
    /** Per service: unexpected exits, restarts, and whether it answers /readyz now. */
    async supervision() {
      const report = {};
      for (const [name, s] of state) {
        const entry = byName.get(name);
        const ready = await isReady(entry.url);
        report[name] = {
          unexpectedExits: s.unexpected,
          restarts: s.restarts,
          crashLooping: s.consecutive >= 3,
          ready,
        };
      }
      return report;
    },
    async stop() {
      stopping = true;
      await broker.resume();
      await proxy.up();
      await suite.stop();
      await broker.stop();
      await proxy.down();
      await dropSchemas(mysqlUrl, dbPrefix);
    },
  };
}

/** The suite `npm start` runs: its URLs and credentials; the tool owns none of its processes. */
export async function attachCluster() {
  const { credentials, kafkaBrokers, simAdminToken } = npmStartState();
  const urls = Object.fromEntries(
    services().map((service) => [service.name, `http://127.0.0.1:${service.defaultPort}`]),
  );
  await Promise.all(Object.values(urls).map((url) => waitReady(url, 5_000)));
  return {
    owned: false,
    urls,
    credentials,
    simAdminToken,
    kafkaBrokers,
    faults: {},
    async supervision() {
      const report = {};
      for (const [name, url] of Object.entries(urls)) {
        const ready = await isReady(url);
        report[name] = { unexpectedExits: [], restarts: 0, crashLooping: false, ready };
      }
      return report;
    },
    async stop() {},
  };
}
