/**
 * One trace per order across order → invoice → tax-bridge → authority → reconciliation, exported over
 * OTLP/HTTP to a capturing receiver standing in for Jaeger.
 */
import { TOPICS } from '@fapiao/contracts';
import {
  eventually,
  OtlpReceiver,
  sampleOrder,
  startTestSuite,
  SuiteApi,
  type CapturedSpan,
  type Suite,
} from '@fapiao/testing';

const SERVICES = [
  'fapiao-order',
  'fapiao-invoice',
  'fapiao-tax-bridge',
  'fapiao-tax-authority-sim',
  'fapiao-reconciliation',
];
const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 };

jest.setTimeout(180_000);

describe('tracing: one trace per order', () => {
  const receiver = new OtlpReceiver();
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;

  beforeAll(async () => {
    await receiver.start();
    suite = await startTestSuite({
      portOffset: 400,
      dbPrefix: 'e2e_tracing_',
      extra: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
    api = await SuiteApi.connect(suite);
  });

  afterAll(async () => {
    await suite?.dispose();
    await receiver.stop();
  });

  it('follows an order through every service as one tree with fapiao attributes and no personal data', async () => {
    const body = sampleOrder('ERP-TRACED');
    const { body: placed } = await api.placeOrder(body, 'traced-order');
    await eventually(async () => (await api.order(placed.id)).status === 'INVOICED', 60_000, 500);

    // The trace is the one whose order span carries this order id.
    const orderSpan = await eventually(
      async () => receiver.spans.some((s) => s.attributes['fapiao.order_id'] === placed.id),
      30_000,
    ).then(
      () =>
        receiver.spans.find(
          (s) => s.service === 'fapiao-order' && s.attributes['fapiao.order_id'] === placed.id,
        ) as CapturedSpan,
    );
    const traceId = orderSpan.traceId;
    const reconciled = (spans: CapturedSpan[]) =>
      spans.some((s) => s.service === 'fapiao-reconciliation' && s.name === `${TOPICS.invoices} process`);
    await eventually(
      async () =>
        SERVICES.every((service) => receiver.trace(traceId).some((s) => s.service === service)) &&
        reconciled(receiver.trace(traceId)),
      30_000,
    );
    const spans = receiver.trace(traceId);

    // One tree: a single root (the POST), and every other span's parent is in the trace.
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'fapiao-order', kind: SPAN_KIND.server });
    expect(spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);

    // Cross-service links are parent-child: each consumer span is a child of the producer span.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: CapturedSpan) => byId.get(span.parentSpanId ?? '');
    const hop = (consumer: string, topic: string, producer: string) => {
      const process = spans.find((s) => s.service === consumer && s.name === `${topic} process`);
      expect(process?.kind).toBe(SPAN_KIND.consumer);
      expect(process && parentOf(process)).toMatchObject({
        service: producer,
        name: `${topic} publish`,
        kind: SPAN_KIND.producer,
      });
    };
    hop('fapiao-invoice', TOPICS.orders, 'fapiao-order');
    hop('fapiao-tax-bridge', TOPICS.taxCommands, 'fapiao-invoice');
    hop('fapiao-invoice', TOPICS.taxEvents, 'fapiao-tax-bridge');
    hop('fapiao-order', TOPICS.invoices, 'fapiao-invoice');
    hop('fapiao-reconciliation', TOPICS.invoices, 'fapiao-invoice');
    const authority = spans.find(
      (s) => s.service === 'fapiao-tax-authority-sim' && s.kind === SPAN_KIND.server,
    );
    expect(authority && parentOf(authority)).toMatchObject({
      service: 'fapiao-tax-bridge',
      kind: SPAN_KIND.client,
    });

    // The fapiao.* attributes an SRE searches by.
    const invoiceId = spans.find((s) => s.attributes['fapiao.invoice_id'])?.attributes['fapiao.invoice_id'];
    expect(invoiceId).toEqual(expect.any(String));
    expect(
      spans.some((s) => s.service === 'fapiao-tax-bridge' && s.attributes['fapiao.invoice_id'] === invoiceId),
    ).toBe(true);
    expect(spans.some((s) => s.attributes['fapiao.tenant_id'] === suite.credentials.tenantId)).toBe(true);
    expect(
      spans.some((s) => s.service === 'fapiao-invoice' && s.attributes['fapiao.order_id'] === placed.id),
    ).toBe(true);

    // Never personal data: the buyer's name and tax id appear in no attribute of any span.
    const everything = JSON.stringify(receiver.spans.map((s) => s.attributes));
    expect(everything).not.toContain(body.buyer.name);
    expect(everything).not.toContain(body.buyer.taxId);
  });
});
