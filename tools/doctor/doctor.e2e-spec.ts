/**
 * `fapiao doctor` (the CLI, as `npm run doctor` runs it) against a whole suite started here, with faults
 * injected one at a time: each must show up as its own layer failing, with its runbook entry. Its own
 * Kafka, so stopping the broker and counting dead letters never touch another test file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  dropSchemas,
  eventually,
  fetchToken,
  MYSQL_URL,
  sampleOrder,
  statusOf,
  suiteModule,
  tcpProxy,
  type Suite,
  type TcpProxy,
} from '@fapiao/testing';

const ROOT = join(__dirname, '../..');
const PORT_OFFSET = 750;
const DB_PREFIX = 'e2e_doctor_';

interface Check {
  layer: string;
  name: string;
  target: string | null;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  summary: string;
  runbook?: string;
  next?: string;
}
interface Report {
  summary: { pass: number; warn: number; fail: number; skip: number; exitCode: number };
  checks: Check[];
}
interface Broker {
  bootstrap: string;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}
type KafkaModule = { startKafka(options: Record<string, unknown>): Promise<Broker> };

jest.setTimeout(240_000);

/** Runs tools/doctor/main.mjs with `--output json`; resolves with its exit code and report. */
function doctor(args: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'tools/doctor/main.mjs'), ...args, '--output', 'json'],
      {
        env: { ...process.env, KAFKA_BROKERS: '' },
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
        resolve({ code, report: JSON.parse(stdout) as Report, stderr });
      } catch {
        reject(new Error(`doctor exited ${code} without JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}

const notPassing = (report: Report) =>
  report.checks.filter((check) => check.status === 'warn' || check.status === 'fail');
const brief = (checks: Check[]) =>
  checks.map((c) => `${c.status} ${c.layer}/${c.name} ${c.target}: ${c.summary}`).join('\n');

describe('fapiao doctor, local mode', () => {
  const mysql = new URL(MYSQL_URL);
  let proxy: TcpProxy;
  let broker: Broker;
  let suite: Suite;
  let stateDir: string;
  let tokenFile: string;
  let token: string;
  const logs: string[] = [];
  const url = (name: string) => {
    const found = suite.running.find((r) => r.service.name === name);
    if (!found) throw new Error(`${name} is not running`);
    return found.url;
  };
  /** Every service by --url, the suite's broker and a token file: the "any host" way in. */
  const byUrl = () => [
    ...suite.running.flatMap((r) => ['--url', `${r.service.name}=${r.url}`]),
    '--kafka',
    broker.bootstrap,
    '--token-file',
    tokenFile,
  ];
  const allReady = () =>
    eventually(
      async () =>
        (await Promise.all(suite.running.map((r) => statusOf(`${r.url}/readyz`)))).every((s) => s === 200),
      60_000,
      500,
    );

  beforeAll(async () => {
    const { startKafka } = (await import(
      pathToFileURL(join(ROOT, 'tools/kafka/kafka.mjs')).href
    )) as KafkaModule;
    broker = await startKafka({ topics: true });
    proxy = await tcpProxy(mysql.hostname, Number(mysql.port || 3306));
    await proxy.up();
    const proxied = new URL(MYSQL_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    await dropSchemas(MYSQL_URL, DB_PREFIX);
    stateDir = mkdtempSync(join(tmpdir(), 'fapiao-doctor-'));
    const { startSuite } = await suiteModule();
    suite = await startSuite({
      mysqlUrl: proxied.toString(),
      kafkaBrokers: broker.bootstrap,
      stateDir,
      portOffset: PORT_OFFSET,
      dbPrefix: DB_PREFIX,
      extra: {
        LOG_LEVEL: 'warn',
        SIM_MAINTENANCE_ENABLED: 'false',
        TAX_MAINTENANCE_ENABLED: 'false',
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        TAX_FORWARD_POLL_MS: '200',
      },
      log: (service, line) => logs.push(`${service}| ${line}`),
    });
    // What `npm start` leaves for tools: the broker of this run (dev-credentials.json is already there).
    writeFileSync(join(stateDir, 'runtime.json'), JSON.stringify({ kafkaBrokers: broker.bootstrap }));
    token = await fetchToken(url('auth'), suite.credentials);
    tokenFile = join(stateDir, 'token');
    writeFileSync(tokenFile, token);
  });

  afterAll(async () => {
    await proxy?.up();
    await suite?.stop();
    await broker?.stop();
    await proxy?.down();
    await dropSchemas(MYSQL_URL, DB_PREFIX);
  });

  it('healthy: every check ✔ and exit 0, finding the suite, its token and its Kafka as --target local', async () => {
    const { code, report } = await doctor([
      '--target',
      'local',
      '--port-offset',
      String(PORT_OFFSET),
      '--state-dir',
      stateDir,
    ]);
    expect(brief(notPassing(report))).toBe('');
    expect(code).toBe(0);
    const layers = new Set(report.checks.map((check) => check.layer));
    for (const layer of [
      'dns',
      'tcp',
      'http',
      'database',
      'kafka',
      'authority',
      'sagas',
      'reconciliation',
      'dead-letters',
    ]) {
      expect(layers).toContain(layer);
    }
    // The token came from auth for the demo client, so the operator checks ran.
    expect(report.checks.find((c) => c.name === 'token')?.status).toBe('pass');
    expect(report.checks.find((c) => c.layer === 'authority' && c.name === 'status')?.summary).toMatch(
      /circuit closed/,
    );
  });

  it('database cut: the database layer ✖ on the services, with the database runbook entry, exit 2', async () => {
    await proxy.down();
    try {
      await eventually(async () => (await statusOf(`${url('order')}/readyz`)) === 503, 20_000);
      const { code, report } = await doctor(byUrl());
      expect(code).toBe(2);
      const database = report.checks.filter((c) => c.layer === 'database');
      expect(database.length).toBeGreaterThanOrEqual(5);
      const failing = database.filter((c) => c.status === 'fail');
      expect(failing.map((c) => c.target)).toEqual(
        expect.arrayContaining(['order', 'invoice', 'tax-bridge']),
      );
      for (const check of failing) {
        expect(check.runbook).toBe('docs/operations.md#database-unavailable-or-pool-exhausted');
        expect(check.next).toContain('/readyz');
      }
      // DNS, TCP and Kafka still pass: the layer that is broken is the one named.
      expect(
        report.checks.filter((c) => ['dns', 'tcp', 'kafka'].includes(c.layer) && c.status === 'fail'),
      ).toEqual([]);
    } finally {
      await proxy.up();
    }
    await allReady();
  });

  it('broker stopped: the Kafka layer ✖ naming the runbook entry, exit 2', async () => {
    await broker.down();
    try {
      const { code, report } = await doctor(byUrl());
      expect(code).toBe(2);
      const metadata = report.checks.find((c) => c.layer === 'kafka' && c.name === 'broker metadata');
      expect(metadata).toMatchObject({ status: 'fail', runbook: 'docs/operations.md#kafka-unavailable' });
      expect(metadata?.next).toMatch(/^nc -vz 127\.0\.0\.1 \d+/);
      expect(report.checks.find((c) => c.layer === 'dead-letters')?.status).toBe('skip');
      expect(
        report.checks.filter((c) => ['dns', 'tcp', 'database'].includes(c.layer) && c.status === 'fail'),
      ).toEqual([]);
    } finally {
      await broker.up();
    }
    await allReady();
  });

  it('authority in maintenance: the authority layer ⚠ with the maintenance entry, exit 1', async () => {
    const sim = url('tax-authority-sim');
    const admin = { authorization: `Bearer ${suite.simAdminToken}` };
    const faults = await fetch(`${sim}/v1/faults`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ maintenance: { forSeconds: 90 } }),
    });
    expect(faults.status).toBe(200);
    try {
      // tax-bridge learns of the window from the authority's 503 when it next submits: give it an order.
      const placed = await fetch(`${url('order')}/v1/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': 'doctor-1',
        },
        body: JSON.stringify(sampleOrder('DOCTOR-MAINTENANCE-1')),
      });
      expect(placed.status).toBe(201);
      await eventually(async () => {
        const status = await fetch(`${url('tax-bridge')}/v1/authority/status`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return (
          ((await status.json()) as { paused: { reason: string } | null }).paused?.reason === 'maintenance'
        );
      }, 60_000);
      const { code, report } = await doctor(byUrl());
      const authority = report.checks.find((c) => c.layer === 'authority' && c.name === 'status');
      expect(authority).toMatchObject({
        status: 'warn',
        runbook: 'docs/operations.md#maintenance-window-25th27th-by-default',
      });
      expect(authority?.summary).toMatch(/paused for maintenance until .*queue 1/);
      expect(brief(report.checks.filter((c) => c.status === 'fail'))).toBe('');
      expect(code).toBe(1);
    } finally {
      await fetch(`${sim}/v1/faults`, { method: 'DELETE', headers: admin });
    }
  });
});
