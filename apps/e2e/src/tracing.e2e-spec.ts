/**
 * One trace per order across order → invoice → tax-bridge → authority → reconciliation, exported over
 * OTLP/HTTP to a real Jaeger (tools/jaeger) and read back through Jaeger's own query API, as an SRE would.
 */
import { TOPICS } from '@fapiao/contracts';
import {
  eventually,
  JaegerQuery,
  sampleOrder,
  startJaeger,
  startTestSuite,
  SuiteApi,
  type JaegerSpan,
  type RunningJaeger,
  type Suite,
} from '@fapiao/testing';

const SERVICES = [
  'fapiao-order',
  'fapiao-invoice',
  'fapiao-tax-bridge',
  'fapiao-tax-authority-sim',
  'fapiao-reconciliation',
];
jest.setTimeout(180_000);

describe('tracing: one trace per order in Jaeger', () => {
  let jaeger: RunningJaeger | undefined;
  let query: JaegerQuery;
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;

  beforeAll(async () => {
    jaeger = await startJaeger((line) => process.stderr.write(`${line}\n`));
    query = new JaegerQuery(jaeger.queryUrl);
    suite = await startTestSuite({
      portOffset: 400,
      dbPrefix: 'e2e_tracing_',
      extra: {
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
      },
    });
    api = await SuiteApi.connect(suite);
  });

  afterAll(async () => {
    await suite?.dispose();
    await jaeger?.stop();
  });

  it('follows an order through every service as one tree with fapiao attributes and no personal data', async () => {
    const body = sampleOrder('ERP-TRACED');
    const { body: placed, headers } = await api.placeOrder(body, 'traced-order');
    // The answer names its trace (W3C `traceresponse`): what a caller quotes to an SRE.
    const traceId = /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(headers.get('traceresponse') ?? '')?.[1];
    expect(traceId).toEqual(expect.any(String));
    await eventually(async () => (await api.order(placed.id)).status === 'INVOICED', 60_000, 500);

    // Jaeger's search by the order id, as an SRE without the header would do, finds that one trace.
    let traceIds: string[] = [];
    await eventually(async () => {
      traceIds = await query.findTraceIds('fapiao-order', { 'fapiao.order_id': placed.id });
      return traceIds.length > 0;
    }, 30_000);
    expect(traceIds).toEqual([traceId]);

    let spans: JaegerSpan[] = [];
    let json = '';
    const reconciled = () =>
      spans.some((s) => s.service === 'fapiao-reconciliation' && s.name === `${TOPICS.invoices} process`);
    // Spans arrive in batches, each service's on its own schedule (a consumer's span may land before its
    // producer's): wait for the last ones, then let the assertions name anything missing.
    const complete = () => {
      const present = new Set(spans.map((s) => s.spanId));
      return spans.every((s) => !s.parentSpanId || present.has(s.parentSpanId));
    };
    await eventually(async () => {
      ({ spans, json } = await query.trace(traceId ?? ''));
      return (
        SERVICES.every((service) => spans.some((s) => s.service === service)) && reconciled() && complete()
      );
    }, 30_000).catch(() => undefined);
    expect(SERVICES.filter((service) => !spans.some((s) => s.service === service))).toEqual([]);
    expect(reconciled()).toBe(true);

    // One tree: a single root (the POST), and every other span's parent is in the trace.
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]).toMatchObject({ service: 'fapiao-order', kind: 'server' });
    expect(spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId))).toEqual([]);

    // Cross-service links are parent-child: each consumer span is a child of the producer span.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: JaegerSpan) => byId.get(span.parentSpanId ?? '');
    const hop = (consumer: string, topic: string, producer: string) => {
      const process = spans.find((s) => s.service === consumer && s.name === `${topic} process`);
      expect(process?.kind).toBe('consumer');
      expect(process && parentOf(process)).toMatchObject({
        service: producer,
        name: `${topic} publish`,
        kind: 'producer',
      });
    };
    hop('fapiao-invoice', TOPICS.orders, 'fapiao-order');
    hop('fapiao-tax-bridge', TOPICS.taxCommands, 'fapiao-invoice');
    hop('fapiao-invoice', TOPICS.taxEvents, 'fapiao-tax-bridge');
    hop('fapiao-order', TOPICS.invoices, 'fapiao-invoice');
    hop('fapiao-reconciliation', TOPICS.invoices, 'fapiao-invoice');
    const authority = spans.find((s) => s.service === 'fapiao-tax-authority-sim' && s.kind === 'server');
    expect(authority && parentOf(authority)).toMatchObject({ service: 'fapiao-tax-bridge', kind: 'client' });

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

    // Never personal data: the buyer's name and tax id appear nowhere in this trace, nor in any other
    // trace Jaeger holds from any service of the suite.
    const everything = [json];
    for (const service of await query.services()) everything.push(await query.allTracesJson(service));
    for (const text of everything) {
      expect(text).not.toContain(body.buyer.name);
      expect(text).not.toContain(body.buyer.taxId);
    }
  });
});
