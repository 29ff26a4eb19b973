/**
 * Hostile and oversized input at the public order API, every service a process (issue 14): bodies too
 * large, orders that can never be invoiced, too many errors, unbounded pages, look-alike idempotency keys,
 * and a cancel that would reverse an invoice without the scope to reverse.
 */
import { createConnection } from 'mysql2/promise';
import type { CreateOrderRequest } from '@fapiao/contracts';
import {
  eventually,
  fetchToken,
  MYSQL_URL,
  sampleOrder,
  startTestSuite,
  SuiteApi,
  type Suite,
} from '@fapiao/testing';

jest.setTimeout(180_000);

const DB_PREFIX = 'e2e_security_';

interface ErrorBody {
  code: string;
  message: string;
  field?: string;
  errors?: { code: string; message: string; field?: string }[];
}

describe('security: hostile input at the order API', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let api: SuiteApi;

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 800,
      dbPrefix: DB_PREFIX,
      extra: { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_RETRY_DELAY_MS: '200' },
    });
    api = await SuiteApi.connect(suite);
  });

  afterAll(() => suite?.dispose());

  const post = (body: string, idempotencyKey: string, token?: string) =>
    api.request<ErrorBody & { id: string; status: string }>('order', '/v1/orders', {
      method: 'POST',
      headers: {
        'idempotency-key': idempotencyKey,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body,
    });

  /** The order rows stored under an external id, read straight from order's schema. */
  const orderRows = async (externalId: string): Promise<number> => {
    const connection = await createConnection({ uri: MYSQL_URL, database: `${DB_PREFIX}fapiao_order` });
    try {
      const [rows] = await connection.query('SELECT COUNT(*) AS n FROM orders WHERE external_id = ?', [
        externalId,
      ]);
      return Number((rows as { n: number }[])[0].n);
    } finally {
      await connection.end();
    }
  };

  it('answers a 10 MB body 413 REQUEST.TOO_LARGE, not 500', async () => {
    const huge = JSON.stringify(sampleOrder('SEC-HUGE', { buyer: { name: 'x'.repeat(10 * 1024 * 1024) } }));
    const { status, body } = await post(huge, 'sec-huge');
    expect(status).toBe(413);
    expect(body.code).toBe('REQUEST.TOO_LARGE');
    expect(await orderRows('SEC-HUGE')).toBe(0);
  });

  it.each([
    [
      'a 7 % tax rate',
      (order: CreateOrderRequest) => ({ ...order, lines: [{ ...order.lines[0], taxRate: '0.07' }] }),
      'lines[0].taxRate',
      'TAX_RATE.NOT_IN_TABLE',
    ],
    [
      'a buyer USCC with a wrong check character',
      (order: CreateOrderRequest) => ({ ...order, buyer: { ...order.buyer, taxId: '91440300708461136A' } }),
      'buyer.taxId',
      'USCC.CHECKSUM',
    ],
    [
      'control characters in the buyer name',
      (order: CreateOrderRequest) => ({
        ...order,
        buyer: { ...order.buyer, name: '深圳市\u0007腾讯\u0000有限公司' },
      }),
      'buyer.name',
      'INPUT.FORBIDDEN_CHARACTER',
    ],
    [
      'a right-to-left override in the buyer name',
      (order: CreateOrderRequest) => ({
        ...order,
        buyer: { ...order.buyer, name: '深圳市腾讯\u202e司公限有' },
      }),
      'buyer.name',
      'INPUT.FORBIDDEN_CHARACTER',
    ],
  ])(
    'refuses %s at intake: 422 with the field and its code, and no order row',
    async (what, change, field, code) => {
      const externalId = `SEC-${code}-${field}`;
      const { status, body } = await post(
        JSON.stringify(change(sampleOrder(externalId))),
        `sec-${what.replace(/\W+/g, '-')}`,
      );
      expect(status).toBe(422);
      expect(body).toMatchObject({ code: 'ORDER.NOT_INVOICEABLE', field });
      expect(body.errors).toEqual([expect.objectContaining({ code, field })]);
      expect(await orderRows(externalId)).toBe(0);
    },
  );

  it('refuses 250 invalid lines with 422 and the first 50 errors, never a database error', async () => {
    const base = sampleOrder('SEC-250-RATES');
    const rates = {
      ...base,
      lines: Array.from({ length: 250 }, () => ({ ...base.lines[0], taxRate: '0.07' })),
    };
    const refused = await post(JSON.stringify(rates), 'sec-250-rates');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('ORDER.NOT_INVOICEABLE');
    expect(refused.body.errors).toHaveLength(50);
    expect(refused.body.errors?.[49]).toMatchObject({
      code: 'TAX_RATE.NOT_IN_TABLE',
      field: 'lines[49].taxRate',
    });
    expect(refused.body.message).toContain('250 problems');
    expect(await orderRows('SEC-250-RATES')).toBe(0);

    // Malformed lines (not even the shape of one) are refused by the request schema, capped the same way.
    const shapes = {
      ...base,
      externalId: 'SEC-250-SHAPES',
      lines: Array.from({ length: 250 }, () => ({ ...base.lines[0], taxCode: '1' })),
    };
    const malformed = await post(JSON.stringify(shapes), 'sec-250-shapes');
    expect(malformed.status).toBe(422);
    expect(malformed.body.code).toBe('REQUEST.INVALID');
    expect(malformed.body.errors).toHaveLength(50);
    expect(await orderRows('SEC-250-SHAPES')).toBe(0);
  });

  it('caps list pages: pageSize above 200 or a page beyond the last servable is 422', async () => {
    expect((await api.request('order', '/v1/orders?pageSize=201')).status).toBe(422);
    expect((await api.request('order', '/v1/orders?page=10001')).status).toBe(422);
    expect((await api.request('order', '/v1/orders?pageSize=200')).status).toBe(200);
  });

  it('compares idempotency keys byte for byte: keys differing in case are two requests', async () => {
    const first = await post(JSON.stringify(sampleOrder('SEC-KEY-1')), 'Sec-Key-Case');
    const second = await post(JSON.stringify(sampleOrder('SEC-KEY-2')), 'sec-key-case');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.id).not.toBe(first.body.id);
    const replay = await post(JSON.stringify(sampleOrder('SEC-KEY-2')), 'sec-key-case');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(second.body.id);
  });

  it('refuses to cancel an invoiced order without invoices:reverse (403), and cancels it with it', async () => {
    const { body: placed } = await api.placeOrder(sampleOrder('SEC-CANCEL'), 'sec-cancel');
    await eventually(async () => (await api.order(placed.id)).status === 'INVOICED', 60_000, 300);

    const writeOnly = await fetchToken(api.url('auth'), suite.credentials, 'orders:read orders:write');
    const refused = await api.request<ErrorBody>('order', `/v1/orders/${placed.id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${writeOnly}` },
      body: JSON.stringify({ reasonCode: '02' }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'ORDER.REVERSAL_NOT_PERMITTED', field: 'scope' });
    expect((await api.order(placed.id)).status).toBe('INVOICED');

    const cancelled = await api.request<{ status: string }>('order', `/v1/orders/${placed.id}/cancel`, {
      method: 'POST',
      body: JSON.stringify({ reasonCode: '02' }),
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLING');
  });
});
