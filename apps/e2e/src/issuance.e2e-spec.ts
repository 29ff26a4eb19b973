/**
 * The issuance saga end to end, with every service as a process: order → invoice → tax-bridge → authority
 * simulator → reconciliation, exactly once — through replays, redeliveries, poison messages and crashes.
 */
import { randomUUID } from 'node:crypto';
import { HEADERS, TOPICS, deadLetterTopic } from '@fapiao/contracts';
import {
  envelopeMessage,
  eventually,
  produceRaw,
  readTopic,
  sampleOrder,
  startTestSuite,
  SuiteApi,
  type Suite,
} from '@fapiao/testing';

const TERMINAL = ['INVOICED', 'INVOICE_REJECTED'];
/** The full scenario is E2E_ORDERS=200 E2E_REPLAYS=20 (README); npm test runs a smaller one. */
const ORDERS = Number(process.env.E2E_ORDERS ?? 50);
const REPLAYS = Number(process.env.E2E_REPLAYS ?? 10);

jest.setTimeout(240_000);

describe('issuance saga end to end', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;
  const logs: string[] = [];

  const authorityTotal = async () => {
    const response = await fetch(
      `${api.url('tax-authority-sim')}/v1/invoices?sellerTaxId=${suite.credentials.sellerTaxId}&pageSize=1`,
    );
    return ((await response.json()) as { total: number }).total;
  };

  const waitTerminal = async (ids: string[], timeoutMs = 90_000) => {
    await eventually(
      async () => {
        const orders = await Promise.all(ids.map((id) => api.order(id)));
        return orders.every((order) => TERMINAL.includes(order.status));
      },
      timeoutMs,
      500,
    );
    return Promise.all(ids.map((id) => api.order(id)));
  };

  /** Exactly one ISSUED invoice with a 20-digit number per order. */
  const expectIssuedOnce = async (ids: string[]) => {
    for (const id of ids) {
      const { body } = await api.request<{ items: { status: string; number: string | null }[] }>(
        'invoice',
        `/v1/invoices?orderId=${id}`,
      );
      expect(body.items).toHaveLength(1);
      expect(body.items[0].status).toBe('ISSUED');
      expect(body.items[0].number).toMatch(/^\d{20}$/);
    }
  };

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 300,
      dbPrefix: 'e2e_issuance_',
      extra: {
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        CONSUMER_RETRY_DELAY_MS: '200',
        INVOICE_SUBMISSION_TIMEOUT_MS: '5000',
        RECON_SWEEP_INTERVAL_MS: '1000',
      },
      log: (service, line) => logs.push(`${service}| ${line}`),
    });
    api = await SuiteApi.connect(suite);
  });

  afterAll(() => suite?.dispose());

  it('invoices concurrent orders exactly once; replays create nothing; reconciliation matches them all', async () => {
    const before = await authorityTotal();
    const bodies = Array.from({ length: ORDERS }, (_, i) => sampleOrder(`ERP-E2E-${i}`));
    const placed = await Promise.all(bodies.map((body, i) => api.placeOrder(body, `e2e-key-${i}`)));
    expect(placed.map((r) => r.status)).toEqual(bodies.map(() => 201));
    const ids = placed.map((r) => r.body.id);

    const replays = await Promise.all(
      bodies.slice(0, REPLAYS).map((body, i) => api.placeOrder(body, `e2e-key-${i}`)),
    );
    expect(replays.map((r) => r.body.id)).toEqual(ids.slice(0, REPLAYS));
    expect(replays.every((r) => r.headers.get('idempotent-replayed') === 'true')).toBe(true);

    const orders = await waitTerminal(ids, 60_000 + ORDERS * 500);
    expect(orders.map((o) => o.status)).toEqual(ids.map(() => 'INVOICED'));
    await expectIssuedOnce(ids);
    expect(await authorityTotal()).toBe(before + ORDERS);
    const { body: list } = await api.request<{ total: number }>('order', '/v1/orders?pageSize=1');
    expect(list.total).toBe(ORDERS);

    await eventually(async () => {
      const states = await Promise.all(
        ids.map(
          async (id) =>
            (await api.request<{ status: string }>('reconciliation', `/v1/reconciliation/orders/${id}`)).body
              .status,
        ),
      );
      return states.every((state) => state === 'MATCHED');
    }, 30_000);
    const { body: discrepancies } = await api.request<{ items: { orderId: string }[] }>(
      'reconciliation',
      '/v1/reconciliation/discrepancies?state=all',
    );
    expect(discrepancies.items.filter((d) => ids.includes(d.orderId))).toEqual([]);
  });

  it('refuses at intake an order the domain refuses; from Kafka the same order ends INVOICE_REJECTED with the same code', async () => {
    const bad = sampleOrder('ERP-BAD-USCC', { buyer: { name: '买方', taxId: '91440300708461136X' } });
    const refused = await api.request('order', '/v1/orders', {
      method: 'POST',
      headers: { 'idempotency-key': 'e2e-bad-uscc' },
      body: JSON.stringify(bad),
    });
    expect({ status: refused.status, body: refused.body }).toMatchObject({
      status: 422,
      body: {
        code: 'ORDER.NOT_INVOICEABLE',
        errors: [expect.objectContaining({ code: 'USCC.CHECKSUM', field: 'buyer.taxId' })],
      },
    });
    // A Kafka request has no one to answer: it is accepted, and the invoice service rejects it, never stuck.
    const requestId = `REQ-BAD-${randomUUID()}`;
    await produceRaw(TOPICS.invoiceRequests, [
      envelopeMessage('InvoiceRequested', {
        tenantId: suite.credentials.tenantId,
        key: requestId,
        payload: { requestId, ...bad, externalId: 'ERP-BAD-USCC-KAFKA' },
      }),
    ]);
    const fromKafka = async () =>
      (
        await api.request<{ items: { id: string; externalId: string }[] }>('order', '/v1/orders?pageSize=200')
      ).body.items.filter((o) => o.externalId === 'ERP-BAD-USCC-KAFKA');
    await eventually(async () => (await fromKafka()).length === 1, 30_000);
    const [order] = await waitTerminal([(await fromKafka())[0].id], 30_000);
    expect(order.status).toBe('INVOICE_REJECTED');
    expect(order.rejection).toMatchObject({
      stage: 'validation',
      errors: [expect.objectContaining({ code: 'USCC.CHECKSUM', field: 'buyer.taxId' })],
    });
  });

  it('refuses an order without a usable Idempotency-Key before accepting anything', async () => {
    const body = JSON.stringify(sampleOrder('ERP-NO-KEY'));
    const keys: Record<string, string>[] = [
      {},
      { 'idempotency-key': '   ' },
      { 'idempotency-key': 'k'.repeat(201) },
    ];
    for (const headers of keys) {
      const refused = await api.request('order', '/v1/orders', { method: 'POST', headers, body });
      expect({ status: refused.status, body: refused.body }).toMatchObject({
        status: 422,
        body: { code: 'ORDER.IDEMPOTENCY_KEY_REQUIRED', field: 'Idempotency-Key' },
      });
    }
    const { body: page } = await api.request<{ items: { externalId: string }[] }>(
      'order',
      '/v1/orders?pageSize=200',
    );
    expect(page.items.filter((order) => order.externalId === 'ERP-NO-KEY')).toEqual([]);
  });

  it('ingests internal invoice requests from Kafka once per request id', async () => {
    const requestId = `REQ-${randomUUID()}`;
    const request = () =>
      envelopeMessage('InvoiceRequested', {
        tenantId: suite.credentials.tenantId,
        key: requestId,
        payload: { requestId, ...sampleOrder('ERP-FROM-KAFKA') },
      });
    // The same request twice, as two distinct messages (a producer retrying after a timeout).
    await produceRaw(TOPICS.invoiceRequests, [request(), request()]);
    const fromKafka = async () =>
      (
        await api.request<{ items: { id: string; externalId: string }[] }>('order', '/v1/orders?pageSize=200')
      ).body.items.filter((o) => o.externalId === 'ERP-FROM-KAFKA');
    await eventually(async () => (await fromKafka()).length === 1, 30_000);
    const [order] = await fromKafka();
    expect((await waitTerminal([order.id], 30_000))[0].status).toBe('INVOICED');
    expect(await fromKafka()).toHaveLength(1);
  });

  it('moves a malformed message on every input topic to its .dlq with the reason and keeps consuming', async () => {
    const inputs = [
      TOPICS.orders,
      TOPICS.invoiceRequests,
      TOPICS.invoices,
      TOPICS.taxCommands,
      TOPICS.taxEvents,
    ];
    const marker = randomUUID();
    for (const topic of inputs) {
      await produceRaw(topic, [
        { key: `garbage-${marker}`, value: `not json ${marker}` },
        {
          key: `invalid-${marker}`,
          value: JSON.stringify({ id: randomUUID(), type: 'OrderPlaced', version: 1, marker }),
        },
      ]);
    }
    for (const topic of inputs) {
      const dead = await readTopic(deadLetterTopic(topic), (seen) =>
        ['garbage', 'invalid'].every((kind) => seen.some((m) => m.key === `${kind}-${marker}`)),
      );
      const garbage = dead.find((m) => m.key === `garbage-${marker}`);
      expect(garbage?.headers[HEADERS.errorCode]).toBe('MESSAGE.NOT_JSON');
      expect(garbage?.headers[HEADERS.originalTopic]).toBe(topic);
      const invalid = dead.find((m) => m.key === `invalid-${marker}`);
      expect(invalid?.headers[HEADERS.errorCode]).toBe('MESSAGE.INVALID_ENVELOPE');
      expect(invalid?.headers[HEADERS.error]).toMatch(/tenantId/);
    }
    // Every consumer kept going: a new order still goes all the way through.
    const { body } = await api.placeOrder(sampleOrder('ERP-AFTER-POISON'), `after-poison-${marker}`);
    expect((await waitTerminal([body.id], 60_000))[0].status).toBe('INVOICED');
  });

  it.each(['invoice', 'tax-bridge'])(
    'survives a SIGKILL of %s mid-run: every order ends INVOICED exactly once',
    async (service) => {
      const before = await authorityTotal();
      const bodies = Array.from({ length: 20 }, (_, i) => sampleOrder(`ERP-CRASH-${service}-${i}`));
      const first = await Promise.all(
        bodies.slice(0, 10).map((body, i) => api.placeOrder(body, `crash-${service}-${i}`)),
      );
      await suite.restart(service, 'SIGKILL');
      const second = await Promise.all(
        bodies.slice(10).map((body, i) => api.placeOrder(body, `crash-${service}-${i + 10}`)),
      );
      const ids = [...first, ...second].map((r) => r.body.id);
      const orders = await waitTerminal(ids, 120_000);
      expect(orders.map((o) => o.status)).toEqual(ids.map(() => 'INVOICED'));
      await expectIssuedOnce(ids);
      expect(await authorityTotal()).toBe(before + 20);
    },
  );
});
