/**
 * Intake through a Kafka outage, on the real broker of the Jest run: order stays Ready (Kafka degraded)
 * and accepts orders into its outbox; the consuming services report Kafka as failed; once the broker is
 * back the outbox is published and the order is invoiced, without a restart.
 */
import {
  eventually,
  kafkaControl,
  sampleOrder,
  startTestSuite,
  statusOf,
  SuiteApi,
  type Suite,
} from '@fapiao/testing';

jest.setTimeout(240_000);

const CONSUMING = ['invoice', 'tax-bridge', 'reconciliation'];

interface Readiness {
  status: string;
  degraded?: string[];
  details: Record<string, { status: string; message?: string }>;
}

interface Dependencies {
  service: string;
  status: string;
  ready: boolean;
  dependencies: { name: string; status: string; role: string; latencyMs: number; detail: object }[];
}

describe('Kafka outage: intake goes on, the backlog is invoiced when the broker returns', () => {
  const broker = kafkaControl();
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;
  const logs: string[] = [];
  const readiness = async (service: string) => {
    const response = await fetch(`${api.url(service)}/readyz`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: (await response.json()) as Readiness };
  };
  const deps = async (service: string) =>
    (await (await fetch(`${api.url(service)}/health/deps`)).json()) as Dependencies;

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 900,
      dbPrefix: 'e2e_kafka_outage_',
      log: (service, line) => logs.push(`${service}| ${line}`),
    });
    api = await SuiteApi.connect(suite);
  });

  afterAll(async () => {
    // Whatever a failed test left, the next file gets a running broker.
    await broker.resume();
    await broker.up();
    await suite?.dispose();
  });

  it('shows every dependency of every service on /health/deps, unauthenticated and without secrets', async () => {
    for (const { service, url, env } of suite.running) {
      const response = await fetch(`${url}/health/deps`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as Dependencies;
      expect(body).toMatchObject({ service: service.name, status: 'ok', ready: true });
      const names = body.dependencies.map((dep) => dep.name);
      expect(names).toContain('database');
      if (service.name !== 'auth' && service.name !== 'tax-authority-sim') {
        expect(names).toEqual(expect.arrayContaining(['kafka', 'consumers']));
      }
      for (const dep of body.dependencies) expect(dep.latencyMs).toBeGreaterThanOrEqual(0);
      const text = JSON.stringify(body);
      for (const [name, value] of Object.entries(env)) {
        if (/PASSWORD|SECRET|TOKEN/.test(name) && value) expect(text).not.toContain(value);
      }
    }
    const taxBridge = await deps('tax-bridge');
    expect(taxBridge.dependencies).toContainEqual(
      expect.objectContaining({ name: 'authority', status: 'up', role: 'informational' }),
    );
  });

  it('accepts orders with the broker down (order ready, Kafka degraded) and invoices them once it is back', async () => {
    await broker.down();
    try {
      // The consuming services are not ready: their work is Kafka.
      for (const name of CONSUMING) {
        await eventually(async () => (await statusOf(`${api.url(name)}/readyz`)) === 503, 10_000);
      }
      const down = await readiness('invoice');
      expect(JSON.stringify(down.body)).toMatch(/"kafka":\{[^}]*"status":"down"/);

      // order stays ready: 200, Kafka named as degraded.
      await eventually(async () => (await readiness('order')).body.status === 'degraded', 10_000);
      const ready = await readiness('order');
      expect(ready.status).toBe(200);
      expect(ready.body.degraded).toContain('kafka');
      expect(ready.body.details['kafka']).toMatchObject({ status: 'degraded' });
      expect(ready.body.details['database']).toMatchObject({ status: 'up' });
      expect(await statusOf(`${api.url('auth')}/readyz`)).toBe(200);

      const view = await deps('order');
      // What docs/operations.md quotes: FAPIAO_E2E_SHOW=1 prints the bodies the running services gave.
      if (process.env['FAPIAO_E2E_SHOW']) {
        process.stderr.write(
          `order /readyz ${ready.status} ${JSON.stringify(ready.body)}\n` +
            `invoice /readyz ${down.status} ${JSON.stringify(down.body)}\n` +
            `order /health/deps ${JSON.stringify(view)}\n`,
        );
      }
      expect(view).toMatchObject({ service: 'order', status: 'degraded', ready: true });
      expect(view.dependencies).toContainEqual(
        expect.objectContaining({ name: 'kafka', status: 'down', role: 'degradable' }),
      );

      const placed = await api.placeOrder(sampleOrder('ERP-KAFKA-OUTAGE'), 'kafka-outage-1');
      expect(placed.status).toBe(201);
      const id = placed.body.id;
      // A few seconds with the broker away: the order waits (in the outbox), it is not lost or failed.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect((await api.order(id)).status).not.toMatch(/INVOICED|REJECTED/);
      expect((await readiness('order')).status).toBe(200);

      await broker.up();
      await eventually(async () => (await api.order(id)).status === 'INVOICED', 90_000, 500);
    } finally {
      await broker.up();
    }
    await eventually(async () => (await readiness('order')).body.status === 'ok', 30_000);
    for (const name of CONSUMING) {
      await eventually(async () => (await statusOf(`${api.url(name)}/readyz`)) === 200, 30_000);
    }
  });
});
