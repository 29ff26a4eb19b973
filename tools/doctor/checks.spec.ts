import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Check = {
  layer: string;
  name: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  summary: string;
  runbook?: string;
  next?: string;
  measured: Record<string, any>;
};
type Checks = {
  RUNBOOK: Record<string, string>;
  slug(heading: string): string;
  runbookLink(key: string): string;
  evaluateDns(input: any): Check;
  evaluateTcp(input: any): Check;
  evaluateTls(input: any): Check;
  evaluateLiveness(input: any): Check;
  evaluateReadiness(input: any): Check;
  evaluateDatabase(input: any): Check | null;
  evaluateBrokers(input: any): Check;
  evaluateLag(input: any): Check[];
  evaluateDeadLetters(input: any): Check;
  evaluateAuthority(input: any): Check;
  evaluateClientCertificate(input: any): Check;
  evaluateSagas(input: any): Check;
  evaluateDiscrepancies(input: any): Check;
  skipped(input: any): Check;
  exitCode(results: Check[]): number;
  formatText(results: Check[]): string;
  toJson(
    results: Check[],
    meta?: Record<string, unknown>,
  ): { summary: Record<string, number>; checks: Check[] };
  parseServiceUrl(value: string): [string, string];
  metricValue(text: string, name: string, labels?: Record<string, string>): number | null;
};

const ROOT = join(__dirname, '../..');
let c: Checks;
beforeAll(async () => {
  c = (await import(pathToFileURL(join(__dirname, 'checks.mjs')).href)) as Checks;
});

const URL_ = 'http://127.0.0.1:3004';
const NOW = Date.parse('2026-11-29T12:00:00Z');

/** tax-bridge's GET /v1/authority/status when all is well. */
const healthyStatus = () => ({
  circuit: { state: 'closed', openedAt: null },
  paused: null as null | { reason: string; until: string; message: string },
  queue: { depth: 0, unknown: 0, oldestQueuedAgeSeconds: null as number | null, awaitingConfirmation: 0 },
  nextMaintenanceWindow: null as null | { start: string; end: string },
  lastError: null as null | { at: string; message: string },
  lastSuccessAt: null,
});

/** /readyz as terminus answers it: 200 directly, 503 inside the error filter's body. */
const ready = (checks: Record<string, { status: string; message?: string }>) => {
  const up = Object.fromEntries(Object.entries(checks).filter(([, v]) => v.status !== 'down'));
  const down = Object.fromEntries(Object.entries(checks).filter(([, v]) => v.status === 'down'));
  const terminus = {
    status: Object.keys(down).length ? 'error' : 'ok',
    info: up,
    error: down,
    details: checks,
  };
  return Object.keys(down).length
    ? { code: 'SERVICE.NOT_READY', message: 'A dependency is unavailable', details: terminus, traceId: 'x' }
    : terminus;
};

describe('runbook links', () => {
  it('point at headings that exist in docs/operations.md', () => {
    const headings = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('## '))
      .map((line) => c.slug(line.slice(3)));
    for (const key of Object.keys(c.RUNBOOK)) {
      expect(headings).toContain(c.runbookLink(key).split('#')[1]);
    }
  });

  it('slugs headings like GitHub', () => {
    expect(c.slug('Maintenance window (25th–27th by default)')).toBe(
      'maintenance-window-25th27th-by-default',
    );
    expect(c.slug('Network down, DNS, firewall')).toBe('network-down-dns-firewall');
    expect(c.slug('Rate limiting (429)')).toBe('rate-limiting-429');
  });
});

describe('network layers', () => {
  it('DNS: a literal passes, a failed lookup fails with the network entry and a lookup command', () => {
    expect(c.evaluateDns({ service: 'order', host: '127.0.0.1', literal: true, ms: 0 }).status).toBe('pass');
    const failed = c.evaluateDns({
      service: 'order',
      host: 'order.fapiao.svc',
      error: { code: 'ENOTFOUND' },
      ms: 12,
    });
    expect(failed).toMatchObject({
      layer: 'dns',
      status: 'fail',
      runbook: 'docs/operations.md#network-down-dns-firewall',
    });
    expect(failed.next).toContain('getent hosts order.fapiao.svc');
  });

  it('TCP: refused on loopback points at the service entry, elsewhere at the network one', () => {
    const local = c.evaluateTcp({
      service: 'order',
      host: '127.0.0.1',
      port: 3002,
      error: { code: 'ECONNREFUSED' },
      ms: 1,
      local: true,
    });
    expect(local.runbook).toBe('docs/operations.md#a-service-does-not-answer-or-is-not-ready');
    const remote = c.evaluateTcp({
      service: 'order',
      host: '10.0.0.5',
      port: 3002,
      error: { code: 'ETIMEDOUT' },
      ms: 3000,
    });
    expect(remote.runbook).toBe('docs/operations.md#network-down-dns-firewall');
    expect(remote.next).toBe('nc -vz 10.0.0.5 3002');
  });

  it('TLS: expired ✖, wrong host ✖, untrusted ✖, soon ⚠, fine ✔', () => {
    const cert = (validTo: string, extra = {}) => ({
      subject: 'fapiao.example.com',
      issuer: 'Example CA',
      chain: ['fapiao.example.com', 'Example CA'],
      validTo,
      authorized: true,
      authorizationError: null,
      hostnameError: null,
      ...extra,
    });
    const tls = (c2: object) =>
      c.evaluateTls({ service: 'order', host: 'fapiao.example.com', port: 443, cert: c2, ms: 5, now: NOW });
    expect(tls(cert('2026-11-01T00:00:00Z'))).toMatchObject({
      status: 'fail',
      measured: { daysToExpiry: -29 },
    });
    expect(
      tls(cert('2027-11-01T00:00:00Z', { hostnameError: "Host: x. is not in the cert's altnames" })).status,
    ).toBe('fail');
    expect(
      tls(
        cert('2027-11-01T00:00:00Z', { authorized: false, authorizationError: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      ).summary,
    ).toContain('SELF_SIGNED_CERT_IN_CHAIN');
    expect(tls(cert('2026-12-09T12:00:00Z'))).toMatchObject({
      status: 'warn',
      runbook: 'docs/operations.md#tls-and-client-certificate-expiry',
    });
    expect(tls(cert('2027-11-01T00:00:00Z')).status).toBe('pass');
  });
});

describe('HTTP and database', () => {
  it('readiness names the failing check and picks its runbook entry', () => {
    const down = c.evaluateReadiness({
      service: 'invoice',
      url: 'http://127.0.0.1:3003',
      status: 503,
      body: ready({
        database: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:3306' },
        kafka: { status: 'up' },
      }),
      ms: 20,
    });
    expect(down.status).toBe('fail');
    expect(down.summary).toBe('503: not ready: database (connect ECONNREFUSED 127.0.0.1:3306)');
    expect(down.runbook).toBe('docs/operations.md#database-unavailable-or-pool-exhausted');
    expect(down.next).toBe('curl -s http://127.0.0.1:3003/readyz | jq .');

    const kafka = c.evaluateReadiness({
      service: 'order',
      url: URL_,
      status: 503,
      body: ready({ kafka: { status: 'down' } }),
    });
    expect(kafka.runbook).toBe('docs/operations.md#kafka-unavailable');

    const degraded = c.evaluateReadiness({
      service: 'tax-bridge',
      url: URL_,
      status: 200,
      body: {
        ...ready({
          database: { status: 'up' },
          clientCertificate: { status: 'degraded', message: '12 days left' },
        }),
        degraded: ['clientCertificate'],
      },
    });
    expect(degraded).toMatchObject({
      status: 'warn',
      runbook: 'docs/operations.md#tls-and-client-certificate-expiry',
    });

    expect(
      c.evaluateReadiness({
        service: 'order',
        url: URL_,
        status: 200,
        body: ready({ database: { status: 'up' } }),
      }).status,
    ).toBe('pass');
    expect(c.evaluateReadiness({ service: 'order', url: URL_, error: { code: 'ECONNRESET' } }).status).toBe(
      'fail',
    );
  });

  it('liveness: anything but 200 fails', () => {
    expect(c.evaluateLiveness({ service: 'order', url: URL_, status: 200, ms: 2 }).status).toBe('pass');
    expect(c.evaluateLiveness({ service: 'order', url: URL_, status: 500, ms: 2 }).status).toBe('fail');
  });

  it('database: from /readyz, or /health/deps when the service has it; none when the service has no database check', () => {
    const fromReady = c.evaluateDatabase({
      service: 'order',
      url: URL_,
      readyBody: ready({ database: { status: 'down', message: 'timeout of 2000ms exceeded' } }),
    });
    expect(fromReady).toMatchObject({ layer: 'database', status: 'fail', measured: { source: '/readyz' } });
    expect(fromReady?.summary).toContain('timeout of 2000ms exceeded');
    const fromDeps = c.evaluateDatabase({
      service: 'order',
      url: URL_,
      readyBody: ready({ database: { status: 'up' } }),
      deps: {
        dependencies: [
          { name: 'database', status: 'up', role: 'required', latencyMs: 3, detail: { pool: 10 } },
        ],
      },
    });
    expect(fromDeps).toMatchObject({ status: 'pass', measured: { source: '/health/deps', latencyMs: 3 } });
    expect(
      c.evaluateDatabase({ service: 'x', url: URL_, readyBody: ready({ kafka: { status: 'up' } }) }),
    ).toBeNull();
  });
});

describe('Kafka', () => {
  const cluster = { clusterId: 'c1', controller: 1, brokers: [{ host: '127.0.0.1', port: 9092 }] };

  it('broker metadata: error ✖ with the Kafka entry; no fapiao topics ⚠', () => {
    const down = c.evaluateBrokers({
      brokers: '127.0.0.1:9092',
      error: new Error('Connection error: connect ECONNREFUSED'),
      ms: 300,
    });
    expect(down).toMatchObject({ status: 'fail', runbook: 'docs/operations.md#kafka-unavailable' });
    expect(
      c.evaluateBrokers({ brokers: 'b:9092', cluster, topics: ['__consumer_offsets'], ms: 5 }).status,
    ).toBe('warn');
    expect(
      c.evaluateBrokers({ brokers: 'b:9092', cluster, topics: ['fapiao.orders.v1'], ms: 5 }).status,
    ).toBe('pass');
  });

  it('lag per group and topic: over the limit ⚠, lag with no consumer ⚠, else ✔', () => {
    const checks = c.evaluateLag({
      brokers: 'b:9092',
      groups: [
        {
          groupId: 'fapiao-invoice',
          state: 'Stable',
          members: 1,
          topics: [{ topic: 'fapiao.orders.v1', lag: 0, partitions: 3 }],
        },
        {
          groupId: 'fapiao-order',
          state: 'Stable',
          members: 1,
          topics: [{ topic: 'fapiao.invoices.v1', lag: 5000, partitions: 3 }],
        },
        {
          groupId: 'fapiao-recon',
          state: 'Empty',
          members: 0,
          topics: [{ topic: 'fapiao.tax.events.v1', lag: 3, partitions: 3 }],
        },
      ],
    });
    expect(checks.map((check) => [check.status, check.measured.group])).toEqual([
      ['warn', 'fapiao-order'],
      ['warn', 'fapiao-recon'],
    ]);
    expect(checks[1].summary).toContain('no member');
    expect(checks[0].runbook).toBe('docs/operations.md#consumer-lag');
    const idle = c.evaluateLag({
      brokers: 'b:9092',
      groups: [
        {
          groupId: 'fapiao-invoice',
          state: 'Stable',
          members: 1,
          topics: [{ topic: 'fapiao.orders.v1', lag: 2, partitions: 3 }],
        },
        { groupId: 'fapiao-order', state: 'Stable', members: 1, topics: [] },
      ],
    });
    expect(idle).toMatchObject([{ status: 'pass', summary: '2 group(s), 2 with members, total lag 2' }]);
    expect(c.evaluateLag({ brokers: 'b:9092', groups: [] })[0].status).toBe('warn');
  });

  it('dead letters: any message in a .dlq ⚠ naming the topics', () => {
    const empty = c.evaluateDeadLetters({
      brokers: 'b:9092',
      topics: [{ topic: 'fapiao.orders.v1.dlq', depth: 0 }],
      ms: 3,
    });
    expect(empty.status).toBe('pass');
    const some = c.evaluateDeadLetters({
      brokers: 'b:9092',
      topics: [
        { topic: 'fapiao.orders.v1.dlq', depth: 0 },
        { topic: 'fapiao.invoice-requests.v1.dlq', depth: 2 },
      ],
      ms: 3,
    });
    expect(some).toMatchObject({ status: 'warn', runbook: 'docs/operations.md#dead-letters-waiting' });
    expect(some.summary).toBe('2 dead letter(s): fapiao.invoice-requests.v1.dlq 2');
  });
});

describe('authority', () => {
  const authority = (status: ReturnType<typeof healthyStatus>) =>
    c.evaluateAuthority({ url: URL_, httpStatus: 200, body: status, ms: 8, now: NOW });

  it('closed and idle ✔', () => {
    expect(authority(healthyStatus()).status).toBe('pass');
  });

  it('open circuit ✖ with the 5xx entry and the last error', () => {
    const status = healthyStatus();
    status.circuit.state = 'open';
    status.lastError = { at: '2026-11-29T11:59:00Z', message: 'HTTP 503 SIM.UNAVAILABLE' };
    const check = authority(status);
    expect(check).toMatchObject({
      status: 'fail',
      runbook: 'docs/operations.md#tax-authority-returns-5xx-or-times-out',
    });
    expect(check.summary).toContain('SIM.UNAVAILABLE');
  });

  it('maintenance ⚠ (paused or inside the calendar window), rate limit ⚠, refused certificate ✖', () => {
    const paused = (reason: string) => {
      const status = healthyStatus();
      status.paused = { reason, until: '2026-11-29T12:05:00Z', message: '' };
      status.queue = { depth: 2, unknown: 0, oldestQueuedAgeSeconds: 40, awaitingConfirmation: 0 };
      return authority(status);
    };
    expect(paused('maintenance')).toMatchObject({
      status: 'warn',
      runbook: 'docs/operations.md#maintenance-window-25th27th-by-default',
    });
    expect(paused('maintenance').summary).toContain('queue 2, oldest 40 s');
    expect(paused('rate_limited')).toMatchObject({
      status: 'warn',
      runbook: 'docs/operations.md#rate-limiting-429',
    });
    expect(paused('certificate_expired')).toMatchObject({
      status: 'fail',
      runbook: 'docs/operations.md#tls-and-client-certificate-expiry',
    });
    const window = healthyStatus();
    window.nextMaintenanceWindow = { start: '2026-11-28T16:00:00Z', end: '2026-11-30T16:00:00Z' };
    expect(authority(window).status).toBe('warn');
  });

  it('an old queue ⚠; a token without ops:read ⚠ (not ✖); tax-bridge failing ✖', () => {
    const old = healthyStatus();
    old.queue = { depth: 9, unknown: 0, oldestQueuedAgeSeconds: 900, awaitingConfirmation: 0 };
    expect(authority(old).status).toBe('warn');
    expect(c.evaluateAuthority({ url: URL_, httpStatus: 403, body: {} }).status).toBe('warn');
    expect(c.evaluateAuthority({ url: URL_, httpStatus: 500, body: {} }).status).toBe('fail');
  });

  it('client certificate: /readyz first (the metric reads 0 when no certificate is set), then the metric', () => {
    expect(
      c.evaluateClientCertificate({ url: URL_, readiness: { status: 'up', configured: false }, days: 0 })
        .status,
    ).toBe('pass');
    const soon = c.evaluateClientCertificate({
      url: URL_,
      readiness: { status: 'degraded', subject: 'CN=seller', validTo: '2026-12-11T00:00:00Z', daysLeft: 12 },
      days: 12,
    });
    expect(soon).toMatchObject({ status: 'warn', measured: { source: '/readyz', days: 12 } });
    expect(soon.summary).toBe('CN=seller expires in 12 day(s) (< 30)');
    expect(c.evaluateClientCertificate({ url: URL_, days: 200 }).status).toBe('pass');
    expect(c.evaluateClientCertificate({ url: URL_, days: 12.5 })).toMatchObject({
      status: 'warn',
      measured: { days: 12 },
    });
    expect(c.evaluateClientCertificate({ url: URL_, days: -1 }).status).toBe('fail');
    expect(c.evaluateClientCertificate({ url: URL_, days: null }).status).toBe('warn');
  });
});

describe('operator queues', () => {
  it('sagas: needing attention or past their deadline ⚠', () => {
    const none = { total: 0, items: [] };
    expect(
      c.evaluateSagas({ url: URL_, httpStatus: 200, attention: none, running: [], metric: 0, now: NOW })
        .status,
    ).toBe('pass');
    const attention = c.evaluateSagas({
      url: URL_,
      httpStatus: 200,
      attention: { total: 1, items: [{ id: 's1' }] },
      running: [],
      metric: 1,
      now: NOW,
    });
    expect(attention).toMatchObject({ status: 'warn', runbook: 'docs/operations.md#a-saga-needs-attention' });
    const overdue = c.evaluateSagas({
      url: URL_,
      httpStatus: 200,
      attention: none,
      running: [
        { id: 'late', deadlineAt: '2026-11-29T11:50:00Z' },
        { id: 'fine', deadlineAt: '2026-11-29T12:10:00Z' },
      ],
      metric: 0,
      now: NOW,
    });
    expect(overdue.summary).toBe('1 past their deadline (late)');
  });

  it('discrepancies: open ones ⚠ with their types', () => {
    expect(
      c.evaluateDiscrepancies({ url: URL_, httpStatus: 200, page: { total: 0, items: [] } }).status,
    ).toBe('pass');
    const open = c.evaluateDiscrepancies({
      url: URL_,
      httpStatus: 200,
      page: {
        total: 2,
        items: [
          { type: 'MISSING_INVOICE', orderId: 'o1' },
          { type: 'MISSING_INVOICE', orderId: 'o2' },
        ],
      },
    });
    expect(open).toMatchObject({
      status: 'warn',
      summary: '2 open (MISSING_INVOICE)',
      runbook: 'docs/operations.md#open-discrepancies',
    });
  });
});

describe('output', () => {
  const pass = () => c.evaluateLiveness({ service: 'order', url: URL_, status: 200, ms: 2 });
  const warn = () => c.evaluateClientCertificate({ url: URL_, days: 3 });
  const fail = () => c.evaluateBrokers({ brokers: 'b:9092', error: new Error('down'), ms: 3 });

  it('exit code: 0 all ✔, 1 some ⚠, 2 any ✖; skipped checks do not count', () => {
    const skip = c.skipped({
      layer: 'http',
      name: '/readyz',
      target: 'order',
      because: 'TCP connect failed',
    });
    expect(c.exitCode([pass(), skip])).toBe(0);
    expect(c.exitCode([pass(), warn()])).toBe(1);
    expect(c.exitCode([pass(), warn(), fail()])).toBe(2);
  });

  it('text: one line per check with symbol, layer heading, timing, and runbook and next command for a failure', () => {
    const text = c.formatText([fail(), pass(), warn()]);
    expect(text.split('\n')).toEqual([
      'http',
      '  ✔ /healthz — order: 200 (process alive) (2 ms)',
      'kafka',
      '  ✖ broker metadata — b:9092: no metadata from b:9092: down (3 ms)',
      '      runbook: docs/operations.md#kafka-unavailable',
      "      next:    nc -vz b 9092   # then the broker's log (npm start prints it as kafka |)",
      'authority',
      '  ⚠ client certificate — tax-bridge: expires in 3 day(s) (< 30)',
      '      runbook: docs/operations.md#tls-and-client-certificate-expiry',
      `      next:    curl -s ${URL_}/readyz | jq .details.clientCertificate   # or: curl -s ${URL_}/metrics | grep cert_expiry`,
      '',
      '1 ✔  1 ⚠  1 ✖ — FAIL (exit 2)',
    ]);
  });

  it('json: summary and every check', () => {
    const json = c.toJson([pass(), warn()], { target: 'local' });
    expect(json.summary).toEqual({ pass: 1, warn: 1, fail: 0, skip: 0, exitCode: 1 });
    expect(json.checks[1]).toMatchObject({ layer: 'authority', status: 'warn' });
  });

  it('parses --url and Prometheus samples', () => {
    expect(c.parseServiceUrl('order=http://10.0.0.5:3002/')).toEqual(['order', 'http://10.0.0.5:3002']);
    expect(() => c.parseServiceUrl('http://x')).toThrow(/service=/);
    expect(() => c.parseServiceUrl('order=ftp://x')).toThrow(/http or https/);
    const metrics = [
      '# HELP fapiao_tax_client_cert_expiry_days days',
      'fapiao_tax_client_cert_expiry_days_total 1',
      'fapiao_tax_client_cert_expiry_days 41.5',
      'fapiao_tax_paused{reason="maintenance"} 1',
    ].join('\n');
    expect(c.metricValue(metrics, 'fapiao_tax_client_cert_expiry_days')).toBe(41.5);
    expect(c.metricValue(metrics, 'fapiao_tax_paused', { reason: 'maintenance' })).toBe(1);
    expect(c.metricValue(metrics, 'fapiao_tax_paused', { reason: 'rate_limited' })).toBeNull();
  });
});
