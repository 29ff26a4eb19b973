/**
 * Kafka messages are claims of whoever could write to a topic (issue 14 items 5 and 8), every service a
 * process: a message whose envelope's tenant does not own what it touches — another tenant's seller,
 * invoice or order, or a tenant auth does not know — is dead-lettered with a stable reason and changes
 * nothing; forged runner headers neither park a partition nor add metric series. Then, over all of that
 * traffic, no span exported to Jaeger and no log line carries a buyer's name, a tax id, a secret, a token or
 * key material.
 */
import { randomUUID } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { deadLetterTopic, HEADERS, retryTopic, TOPICS, type BaseTopic } from '@fapiao/contracts';
import {
  envelopeMessage,
  eventually,
  fetchToken,
  JaegerQuery,
  MYSQL_URL,
  produceRaw,
  readTopic,
  sampleOrder,
  startJaeger,
  startTestSuite,
  SuiteApi,
  type ReadMessage,
  type RunningJaeger,
  type Suite,
} from '@fapiao/testing';

jest.setTimeout(240_000);

const DB_PREFIX = 'e2e_untrusted_';
/** Tenant B's seller (a valid USCC, GB 32100-2015). */
const SELLER_B = '91110000802100433B';
const run = randomUUID().slice(0, 8);
/** A buyer whose name and tax id must never leave the business rows. */
const BUYER = { name: `隐私测试买方有限公司${run}`, taxId: '91440300708461136T' };

interface Invoice {
  id: string;
  orderId: string;
  status: string;
  number: string | null;
}

describe('untrusted Kafka messages, and secrets kept out of telemetry', () => {
  let jaeger: RunningJaeger | undefined;
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;
  let tenantB: string;
  const secrets: string[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    jaeger = await startJaeger((line) => process.stderr.write(`${line}\n`));
    const started = startTestSuite({
      portOffset: 1400,
      dbPrefix: DB_PREFIX,
      extra: {
        OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpEndpoint,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        LOG_LEVEL: 'debug',
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        CONSUMER_RETRY_DELAY_MS: '200',
        CONSUMER_LOCAL_RETRIES: '1',
        CONSUMER_RETRY_ROUNDS: '1',
      },
      log: (service, line) => logs.push(`${service} ${line}`),
    });
    // A service that does not start says why in its last lines.
    suite = await started.catch((error: unknown) => {
      process.stderr.write(`${logs.slice(-40).join('\n')}\n`);
      throw error;
    });
    api = await SuiteApi.connect(suite);
    // Tenant B, created by the platform administrator as an installation would.
    const platformToken = await fetchToken(api.url('auth'), suite.platformCredentials);
    const created = await fetch(`${api.url('auth')}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `tenant B ${run}`, sellerTaxId: SELLER_B }),
    });
    expect(created.status).toBe(201);
    tenantB = ((await created.json()) as { id: string }).id;
    secrets.push(
      suite.credentials.clientSecret,
      suite.platformCredentials.clientSecret,
      suite.simAdminToken,
      platformToken,
      await fetchToken(api.url('auth'), suite.credentials),
    );
  });

  afterAll(async () => {
    await suite?.dispose();
    await jaeger?.stop();
  });

  const envelope = (type: string, tenantId: string, key: string, payload: unknown) =>
    envelopeMessage(type, { tenantId, key, payload }).value;

  /** The dead letters of `topic` under `key`, once there are `count` of them. */
  const deadLetters = (topic: BaseTopic, key: string, count = 1): Promise<ReadMessage[]> =>
    readTopic(
      deadLetterTopic(topic),
      (seen) => seen.filter((m) => m.key === key).length >= count,
      60_000,
    ).then((seen) => seen.filter((m) => m.key === key));
  const codes = (messages: ReadMessage[]) => messages.map((m) => m.headers[HEADERS.errorCode]).sort();

  const invoiceOf = async (orderId: string): Promise<Invoice> => {
    const { body } = await api.request<{ items: Invoice[] }>('invoice', `/v1/invoices?orderId=${orderId}`);
    return body.items[0];
  };
  const count = async (schema: string, sql: string, values: unknown[]): Promise<number> => {
    const connection = await createConnection({ uri: MYSQL_URL, database: `${DB_PREFIX}${schema}` });
    try {
      const [rows] = await connection.query(sql, values);
      return Number((rows as { n: number }[])[0].n);
    } finally {
      await connection.end();
    }
  };

  /** Tenant A's order, invoiced: what the forged messages aim at. */
  let victim: { orderId: string; invoice: Invoice; issueCommand: Record<string, unknown> };
  const invoicedOrder = async () => {
    if (victim) return victim;
    const { body: placed } = await api.placeOrder(
      sampleOrder(`UNTRUSTED-${run}`, { buyer: BUYER }),
      `untrusted-${run}`,
    );
    await eventually(async () => (await api.order(placed.id)).status === 'INVOICED', 60_000, 300);
    const invoice = await invoiceOf(placed.id);
    // The IssueInvoice invoice sent for it: a real command to forge from.
    const issue = (
      await readTopic(TOPICS.taxCommands, (seen) => seen.some((m) => m.key === invoice.id))
    ).find((m) => m.key === invoice.id);
    victim = {
      orderId: placed.id,
      invoice,
      issueCommand: (JSON.parse(issue?.value ?? '{}') as { payload: Record<string, unknown> }).payload,
    };
    return victim;
  };

  it("dead-letters an IssueInvoice for another tenant's seller (TENANT.SELLER_MISMATCH); the authority never sees it", async () => {
    const { issueCommand } = await invoicedOrder();
    const invoiceId = randomUUID();
    const serial = `FP${invoiceId.replaceAll('-', '')}`.slice(0, 32);
    // Tenant B asks for an invoice in tenant A's name.
    await produceRaw(TOPICS.taxCommands, [
      {
        key: invoiceId,
        value: envelope('IssueInvoice', tenantB, invoiceId, { ...issueCommand, invoiceId, serial }),
        headers: { [HEADERS.type]: 'IssueInvoice' },
      },
    ]);
    const [dead] = await deadLetters(TOPICS.taxCommands, invoiceId);
    expect(dead.headers[HEADERS.errorCode]).toBe('TENANT.SELLER_MISMATCH');
    expect(dead.headers[HEADERS.error]).toContain(tenantB);
    const atAuthority = await fetch(`${api.url('tax-authority-sim')}/v1/invoices/by-serial/${serial}`);
    expect(atAuthority.status).toBe(404);
    expect(
      await count('fapiao_tax', 'SELECT COUNT(*) AS n FROM submissions WHERE serial = ?', [serial]),
    ).toBe(0);
  });

  it("dead-letters authority outcomes for another tenant's invoice (INVOICE/RECON.TENANT_MISMATCH); the invoice is unchanged", async () => {
    const { orderId, invoice } = await invoicedOrder();
    const before = (await api.request<Invoice>('invoice', `/v1/invoices/${invoice.id}`)).body;
    expect(before).toMatchObject({ status: 'ISSUED', number: expect.any(String) });
    // Tenant B reports another number for A's invoice, then that the authority rejected it.
    await produceRaw(TOPICS.taxEvents, [
      {
        key: invoice.id,
        value: envelope('InvoiceIssuedByAuthority', tenantB, invoice.id, {
          invoiceId: invoice.id,
          serial: 'forged',
          number: '26440000000000099999',
          issuedAt: new Date().toISOString(),
          fileRef: 'forged',
          totalGross: '1.00',
        }),
      },
      {
        key: invoice.id,
        value: envelope('InvoiceRejectedByAuthority', tenantB, invoice.id, {
          invoiceId: invoice.id,
          serial: 'forged',
          code: 'SIM.FORGED',
          message: 'forged',
        }),
      },
    ]);
    // invoice refuses both; reconciliation refuses the issued one (its ledger is keyed by tenant too).
    const dead = await deadLetters(TOPICS.taxEvents, invoice.id, 3);
    expect(codes(dead)).toEqual([
      'INVOICE.TENANT_MISMATCH',
      'INVOICE.TENANT_MISMATCH',
      'RECON.TENANT_MISMATCH',
    ]);
    const after = (await api.request<Invoice>('invoice', `/v1/invoices/${invoice.id}`)).body;
    expect(after).toEqual(before);
    expect((await api.order(orderId)).status).toBe('INVOICED');
    const recon = await api.request<{ status: string }>(
      'reconciliation',
      `/v1/reconciliation/orders/${orderId}`,
    );
    expect(recon.body.status).toBe('MATCHED');
  });

  it("dead-letters invoice events for another tenant's order (ORDER/RECON.TENANT_MISMATCH) and an OrderPlaced for a foreign seller", async () => {
    const { orderId, invoice } = await invoicedOrder();
    const key = randomUUID();
    await produceRaw(TOPICS.invoices, [
      {
        key,
        value: envelope('InvoiceRejected', tenantB, key, {
          invoiceId: invoice.id,
          orderId,
          stage: 'authority',
          errors: [{ code: 'SIM.FORGED', message: 'forged' }],
        }),
      },
    ]);
    const dead = await deadLetters(TOPICS.invoices, key, 2);
    expect(codes(dead)).toEqual(['ORDER.TENANT_MISMATCH', 'RECON.TENANT_MISMATCH']);
    expect((await api.order(orderId)).status).toBe('INVOICED');

    // An order placed "by" tenant B for tenant A's seller never becomes an invoice.
    const forgedOrder = randomUUID();
    const { externalId, invoiceType, lines } = sampleOrder(`FORGED-${run}`);
    await produceRaw(TOPICS.orders, [
      {
        key: forgedOrder,
        value: envelope('OrderPlaced', tenantB, forgedOrder, {
          orderId: forgedOrder,
          externalId,
          invoiceType,
          seller: { taxId: suite.credentials.sellerTaxId },
          buyer: BUYER,
          lines,
        }),
      },
    ]);
    const [refused] = await deadLetters(TOPICS.orders, forgedOrder);
    expect(refused.headers[HEADERS.errorCode]).toBe('TENANT.SELLER_MISMATCH');
    expect(
      await count('fapiao_invoice', 'SELECT COUNT(*) AS n FROM invoices WHERE order_id = ?', [forgedOrder]),
    ).toBe(0);
  });

  it('dead-letters an InvoiceRequested for a tenant auth does not know (TENANT.UNKNOWN), creating no order', async () => {
    const requestId = `REQ-UNKNOWN-${run}`;
    await produceRaw(TOPICS.invoiceRequests, [
      {
        key: requestId,
        value: envelope('InvoiceRequested', randomUUID(), requestId, {
          requestId,
          ...sampleOrder(`UNKNOWN-TENANT-${run}`),
        }),
      },
    ]);
    const [dead] = await deadLetters(TOPICS.invoiceRequests, requestId);
    expect(dead.headers[HEADERS.errorCode]).toBe('TENANT.UNKNOWN');
    expect(
      await count('fapiao_order', 'SELECT COUNT(*) AS n FROM orders WHERE external_id = ?', [
        `UNKNOWN-TENANT-${run}`,
      ]),
    ).toBe(0);
  });

  it('bounds forged runner headers: a not-before centuries away and a negative attempt neither park the partition nor add metric series', async () => {
    const requestId = `REQ-HEADERS-${run}`;
    const forgedTypes = Array.from({ length: 20 }, (_, i) => `Forged${run}${i}`);
    await produceRaw(retryTopic(TOPICS.invoiceRequests), [
      {
        key: requestId,
        value: envelope('InvoiceRequested', randomUUID(), requestId, {
          requestId,
          ...sampleOrder(`HEADERS-${run}`),
        }),
        headers: {
          [HEADERS.type]: 'InvoiceRequested',
          [HEADERS.notBefore]: String(Date.UTC(2999, 0, 1)),
          [HEADERS.attempt]: '-1000000',
        },
      },
    ]);
    await produceRaw(
      TOPICS.invoiceRequests,
      forgedTypes.map((type) => ({ key: type, value: 'not json', headers: { [HEADERS.type]: type } })),
    );
    // Handled at once (the runner's retry delay at most), and refused for what it is.
    const [dead] = await deadLetters(TOPICS.invoiceRequests, requestId);
    expect(dead.headers[HEADERS.errorCode]).toBe('TENANT.UNKNOWN');
    const metrics = await (await fetch(`${api.url('order')}/metrics`)).text();
    expect(forgedTypes.filter((type) => metrics.includes(type))).toEqual([]);
  });

  it('exports no span and writes no log line with a buyer, a tax id, a secret, a token or key material', async () => {
    await invoicedOrder();
    const query = new JaegerQuery(jaeger?.queryUrl ?? '');
    // Every service's spans of the traffic above have reached Jaeger (batched every 200 ms).
    await eventually(async () => (await query.services()).length >= 6, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const spans: string[] = [];
    for (const service of await query.services()) spans.push(await query.allTracesJson(service));
    const forbidden = [
      BUYER.name,
      BUYER.taxId,
      suite.credentials.sellerTaxId,
      SELLER_B,
      ...secrets,
      'PRIVATE KEY',
      '-----BEGIN',
    ];
    const telemetry = { spans: spans.join('\n'), logs: logs.join('\n') };
    // Something to look through: statements with placeholders, request logs with their (redacted) headers.
    expect(telemetry.spans).toContain('INSERT INTO');
    expect(telemetry.logs).toContain('[redacted]');
    for (const [where, text] of Object.entries(telemetry)) {
      expect({ where, found: forbidden.filter((secret) => text.includes(secret)) }).toEqual({
        where,
        found: [],
      });
    }
  });
});
