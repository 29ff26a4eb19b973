/**
 * The foundation end to end: the six services as processes (the same code path as `npm start`), against
 * MariaDB behind a TCP proxy the test can cut and the real Kafka broker the test can stop or freeze.
 */
import {
  eventually,
  fetchToken,
  kafkaControl,
  metricsUrlOf,
  statusOf,
  MYSQL_URL,
  startTestSuite,
  suiteModule,
  tcpProxy,
  type Suite,
  type TcpProxy,
} from '@fapiao/testing';

const GRACE_MS = 5_000;
// Services whose work is consuming: not ready without Kafka. order stays ready (Kafka degraded): its
// intake goes on into the outbox (apps/e2e/src/kafka-outage.e2e-spec.ts).
const KAFKA_SERVICES = ['invoice', 'tax-bridge', 'reconciliation'];

jest.setTimeout(180_000);

describe('foundation: six services, health, auth, shutdown', () => {
  const mysql = new URL(MYSQL_URL);
  let proxy: TcpProxy;
  const broker = kafkaControl();
  const logs: string[] = [];
  let suite: Suite & { dispose(): Promise<void> };
  const url = (name: string) => {
    const running = suite.running.find((r) => r.service.name === name);
    if (!running) throw new Error(`${name} is not running`);
    return running.url;
  };

  beforeAll(async () => {
    proxy = await tcpProxy(mysql.hostname, Number(mysql.port || 3306));
    await proxy.up();
    const proxied = new URL(MYSQL_URL);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    suite = await startTestSuite({
      mysqlUrl: proxied.toString(),
      portOffset: 100,
      dbPrefix: 'e2e_foundation_',
      extra: { SHUTDOWN_GRACE_MS: String(GRACE_MS) },
      log: (service, line) => logs.push(`${service}| ${line}`),
    });
  });

  afterAll(async () => {
    // Whatever a failed test left, the next file gets a running broker.
    await broker.resume();
    await broker.up();
    await suite?.dispose();
    await proxy?.down();
  });

  it('serves readiness, Prometheus metrics and OpenAPI docs on every service', async () => {
    expect(suite.running.map((r) => r.service.name).sort()).toEqual([
      'auth',
      'invoice',
      'order',
      'reconciliation',
      'tax-authority-sim',
      'tax-bridge',
    ]);
    for (const { url: base } of suite.running) {
      expect(await statusOf(`${base}/readyz`)).toBe(200);
      // /metrics on its own port (the HTTP port + 6000 by default), none on the API's port.
      expect(await statusOf(`${base}/metrics`)).toBe(404);
      const metrics = await fetch(metricsUrlOf(base));
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      expect(await metrics.text()).toContain('# TYPE http_request_duration_seconds histogram');
      const openapi = (await (await fetch(`${base}/docs/openapi.json`)).json()) as { openapi: string };
      expect(openapi.openapi).toMatch(/^3\./);
      expect(await statusOf(`${base}/docs`)).toBe(200);
    }
  });

  it('accepts a token from /oauth/token and refuses none or a tampered one', async () => {
    const token = await fetchToken(url('auth'), suite.credentials);
    const orders = await fetch(`${url('order')}/v1/orders`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(orders.status).toBe(200);
    expect(await orders.json()).toMatchObject({ items: [], total: 0 });

    const none = await fetch(`${url('order')}/v1/orders`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'AUTH.MISSING_TOKEN' });

    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, tid: 'another-tenant' })).toString('base64url');
    const tampered = await fetch(`${url('order')}/v1/orders`, {
      headers: { authorization: `Bearer ${header}.${forged}.${signature}` },
    });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toMatchObject({ code: 'AUTH.INVALID_TOKEN' });

    const readOnly = await fetchToken(url('auth'), suite.credentials, 'invoices:read');
    const denied = await fetch(`${url('order')}/v1/orders`, {
      headers: { authorization: `Bearer ${readOnly}` },
    });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ code: 'AUTH.INSUFFICIENT_SCOPE' });
  });

  it('reports Kafka loss on /readyz within 10 s, keeps /healthz at 200, and recovers without restart', async () => {
    await broker.down();
    for (const name of KAFKA_SERVICES) {
      await eventually(async () => (await statusOf(`${url(name)}/readyz`)) === 503, 10_000);
      expect(await statusOf(`${url(name)}/healthz`)).toBe(200);
    }
    expect(await statusOf(`${url('auth')}/readyz`)).toBe(200);
    expect(await statusOf(`${url('order')}/readyz`)).toBe(200);
    await broker.up();
    for (const name of KAFKA_SERVICES) {
      await eventually(async () => (await statusOf(`${url(name)}/readyz`)) === 200, 30_000);
    }
  });

  it('reports a hung broker (SIGSTOP) on /readyz within 10 s and recovers once it answers again', async () => {
    await broker.pause();
    try {
      for (const name of KAFKA_SERVICES) {
        await eventually(async () => (await statusOf(`${url(name)}/readyz`)) === 503, 10_000);
        expect(await statusOf(`${url(name)}/healthz`)).toBe(200);
      }
    } finally {
      await broker.resume();
    }
    for (const name of KAFKA_SERVICES) {
      await eventually(async () => (await statusOf(`${url(name)}/readyz`)) === 200, 30_000);
    }
  });

  it('reports database loss on /readyz within 10 s, keeps /healthz at 200, and recovers without restart', async () => {
    await proxy.down();
    for (const { service, url: base } of suite.running) {
      await eventually(async () => (await statusOf(`${base}/readyz`)) === 503, 10_000).catch(() => {
        throw new Error(`${service.name} stayed ready without its database`);
      });
      expect(await statusOf(`${base}/healthz`)).toBe(200);
    }
    await proxy.up();
    for (const { url: base } of suite.running) {
      await eventually(async () => (await statusOf(`${base}/readyz`)) === 200, 30_000);
    }
  });

  it('ends every service on SIGTERM with exit code 0 within its grace period', async () => {
    const { stopProcess } = await suiteModule();
    const results = await Promise.all(
      suite.running.map(async ({ service, child }) => {
        const started = Date.now();
        const code = await stopProcess(child, GRACE_MS + 5_000);
        return { name: service.name, code, ms: Date.now() - started };
      }),
    );
    // A failure names the service, how long it took and how its log ended.
    const failed = results
      .filter((result) => result.code !== 0 || result.ms >= GRACE_MS)
      .map((result) => ({
        ...result,
        logTail: logs.filter((line) => line.startsWith(`${result.name}| `)).slice(-12),
      }));
    expect(failed).toEqual([]);
  });
});
