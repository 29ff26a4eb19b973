/**
 * Dead-letter redrive end to end (issue 16), every service a process: an internal `InvoiceRequested` for a
 * tenant auth does not know yet is dead-lettered by order; the tenant is onboarded afterwards; its operator
 * lists and inspects the dead letter (personal data masked), dry-runs and redrives it; the order is invoiced
 * exactly once, the redrive is in the audit record, a second redrive sends nothing, and another tenant's
 * operator neither sees nor redrives it.
 */
import { createConnection } from 'mysql2/promise';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { TOPICS } from '@fapiao/contracts';
import {
  envelopeMessage,
  eventually,
  fetchToken,
  MYSQL_URL,
  produceRaw,
  sampleOrder,
  startTestSuite,
  SuiteApi,
  type Suite,
} from '@fapiao/testing';

jest.setTimeout(240_000);

const DB_PREFIX = 'e2e_dlq_';
/** A valid USCC (check characters computed) for the tenant onboarded late. */
const LATE_SELLER = '91310115MA1K4B2CX3';

interface DeadLetter {
  id: string;
  messageId: string | null;
  tenantId: string | null;
  errorCode: string;
  state: string;
  consumerGroup: string;
  redriveId: string | null;
}
interface Page<T> {
  items: T[];
  total: number;
}
interface Redrive {
  dryRun: boolean;
  redriveId: string | null;
  count: number;
  items: DeadLetter[];
}

describe('dead-letter redrive', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let platformToken: string;
  let demoToken: string;

  const call = async <T>(service: string, path: string, token: string, init: RequestInit = {}) => {
    const response = await fetch(`${SuiteApi.urlOf(suite, service)}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const redrive = (token: string, body: Record<string, unknown>) =>
    call<Redrive & { code?: string }>('order', '/v1/dead-letters/redrive', token, {
      method: 'POST',
      body: JSON.stringify(body),
    });
  const sql = async <T>(schema: string, statement: string, values: unknown[]): Promise<T[]> => {
    const connection = await createConnection({ uri: MYSQL_URL, database: `${DB_PREFIX}${schema}` });
    try {
      return (await connection.query(statement, values))[0] as T[];
    } finally {
      await connection.end();
    }
  };

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 1300,
      dbPrefix: DB_PREFIX,
      extra: {
        CONSUMER_SESSION_TIMEOUT_MS: '6000',
        CONSUMER_RETRY_DELAY_MS: '200',
      },
    });
    const authUrl = SuiteApi.urlOf(suite, 'auth');
    platformToken = await fetchToken(authUrl, suite.platformCredentials);
    demoToken = await fetchToken(authUrl, suite.credentials);
  });

  afterAll(() => suite?.dispose());

  it('redrives a request whose tenant was onboarded late: invoiced once, audited, never twice', async () => {
    const tenantId = randomUUID();
    const requestId = `REQ-LATE-${randomUUID()}`;
    const externalId = `ERP-LATE-${randomUUID().slice(0, 8)}`;
    const messageId = randomUUID();
    await produceRaw(TOPICS.invoiceRequests, [
      envelopeMessage('InvoiceRequested', {
        id: messageId,
        tenantId,
        key: requestId,
        payload: { requestId, ...sampleOrder(externalId) },
      }),
    ]);

    // The platform operator finds it by tenant: order's consumer dead-lettered it (the tenant is unknown).
    let dead: DeadLetter | undefined;
    await eventually(async () => {
      const { body } = await call<Page<DeadLetter>>(
        'order',
        `/v1/dead-letters?tenantId=${tenantId}`,
        platformToken,
      );
      dead = body.items.find((item) => item.messageId === messageId);
      return dead !== undefined;
    }, 30_000);
    expect(dead).toMatchObject({
      tenantId,
      errorCode: 'TENANT.UNKNOWN',
      state: 'DEAD',
      consumerGroup: `fapiao-order.${TOPICS.invoiceRequests}`,
    });
    const id = (dead as DeadLetter).id;
    const everyTenant = await call<Page<DeadLetter>>('order', '/v1/dead-letters', platformToken);
    expect(everyTenant.body.items.map((item) => item.id)).toContain(id);

    // The cause is fixed: the tenant is onboarded under the id its ERP already uses, with an operator client.
    await sql('fapiao_auth', 'INSERT INTO tenants (id, name, seller_tax_id) VALUES (?, ?, ?)', [
      tenantId,
      '上海迟到科技有限公司 (e2e)',
      LATE_SELLER,
    ]);
    const created = await call<{ clientId: string; clientSecret: string }>(
      'auth',
      `/v1/tenants/${tenantId}/clients`,
      platformToken,
      {
        method: 'POST',
        body: JSON.stringify({ name: 'late ops', scopes: ['ops:read', 'ops:write', 'orders:read'] }),
      },
    );
    expect(created.status).toBe(201);
    const operator = created.body.clientId;
    const tenantToken = await fetchToken(SuiteApi.urlOf(suite, 'auth'), created.body);

    // Another tenant's operator neither sees nor redrives it.
    const demoList = await call<Page<DeadLetter>>('order', '/v1/dead-letters?state=all', demoToken);
    expect(demoList.status).toBe(200);
    expect(demoList.body.items.map((item) => item.id)).not.toContain(id);
    expect((await call('order', `/v1/dead-letters/${id}`, demoToken)).status).toBe(404);
    expect(await call('order', `/v1/dead-letters?tenantId=${tenantId}`, demoToken)).toMatchObject({
      status: 403,
      body: { code: 'AUTH.CROSS_TENANT' },
    });
    expect(await redrive(demoToken, { tenantId })).toMatchObject({
      status: 403,
      body: { code: 'AUTH.CROSS_TENANT' },
    });
    expect((await redrive(demoToken, { ids: [id] })).body).toMatchObject({ count: 0, redriveId: null });

    // Its own operator inspects it: the buyer is masked.
    const detail = await call<{ envelope: { payload: { buyer: unknown } }; state: string }>(
      'order',
      `/v1/dead-letters/${id}`,
      tenantToken,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.envelope.payload.buyer).toEqual({ name: '***', taxId: '***' });
    expect(JSON.stringify(detail.body)).not.toContain(sampleOrder(externalId).buyer.name);

    // A dry run, with the operators' CLI (`npm run dlq`), says what would go and changes nothing.
    const cli = spawnSync(
      process.execPath,
      [
        join(__dirname, '../../../tools/dlq/main.mjs'),
        ...['redrive', '--service', 'order', '--error-code', 'TENANT.UNKNOWN', '--limit', '10', '--dry-run'],
        ...['--output', 'json', '--url', `order=${SuiteApi.urlOf(suite, 'order')}`],
        ...['--url', `auth=${SuiteApi.urlOf(suite, 'auth')}`],
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          FAPIAO_CLIENT_ID: created.body.clientId,
          FAPIAO_CLIENT_SECRET: created.body.clientSecret,
        },
      },
    );
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: '' });
    const [dry] = JSON.parse(cli.stdout) as { service: string; status: number; body: Redrive }[];
    expect(dry).toMatchObject({ service: 'order', status: 200 });
    expect(dry.body).toMatchObject({ dryRun: true, redriveId: null, count: 1 });
    expect(dry.body.items.map((item) => item.id)).toEqual([id]);
    expect((await call<DeadLetter>('order', `/v1/dead-letters/${id}`, tenantToken)).body.state).toBe('DEAD');

    const done = await redrive(tenantToken, { errorCode: 'TENANT.UNKNOWN', limit: 10 });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false, count: 1, redriveId: expect.any(String) });

    // Invoiced, once: one order, one invoice, and order's inbox ran the message under its own id.
    const ordersOf = () =>
      sql<{ id: string; status: string }>(
        'fapiao_order',
        'SELECT id, status FROM orders WHERE external_id = ?',
        [externalId],
      );
    await eventually(
      async () => (await ordersOf()).some((order) => order.status === 'INVOICED'),
      60_000,
      500,
    );
    const redriveAgain = await redrive(tenantToken, { errorCode: 'TENANT.UNKNOWN', limit: 10 });
    expect(redriveAgain.body).toMatchObject({ count: 0, redriveId: null });
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // room for a duplicate to show up
    const orders = await ordersOf();
    expect(orders).toEqual([{ id: expect.any(String), status: 'INVOICED' }]);
    const invoices = await sql<{ id: string }>(
      'fapiao_invoice',
      'SELECT id FROM invoices WHERE order_id = ?',
      [orders[0].id],
    );
    expect(invoices).toHaveLength(1);
    const inbox = await sql<{ message_id: string }>(
      'fapiao_order',
      'SELECT message_id FROM inbox_messages WHERE consumer_group = ? AND message_id = ?',
      [`fapiao-order.${TOPICS.invoiceRequests}`, messageId],
    );
    expect(inbox).toHaveLength(1);

    // The audit record names who redrove what.
    const audit = await call<Page<{ id: string; clientId: string; messageIds: string[]; count: number }>>(
      'order',
      '/v1/dead-letter-redrives',
      tenantToken,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        id: done.body.redriveId,
        clientId: operator,
        messageIds: [messageId],
        count: 1,
      }),
    ]);
    const after = await call<{ state: string; redrive: { id: string; clientId: string } }>(
      'order',
      `/v1/dead-letters/${id}`,
      tenantToken,
    );
    expect(after.body).toMatchObject({
      state: 'REDRIVEN',
      redrive: { id: done.body.redriveId, clientId: operator },
    });
    const platformAudit = await call<Page<{ id: string }>>(
      'order',
      '/v1/dead-letter-redrives',
      platformToken,
    );
    expect(platformAudit.body.items.map((item) => item.id)).toContain(done.body.redriveId);
  });
});
