/**
 * Tenant isolation on every route (issue 14): tenant B's client, holding every tenant scope, gets 403 or
 * 404 on each read and action that names tenant A's order, invoice, reversal, saga, dead letter, tenant
 * or client, and its lists never show A's. The routes come from walking the controllers
 * (./routes.ts), not from a hand list: a new route whose path parameter or body this file does
 * not know fails the test until it is added below.
 */
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fapiao/contracts';
import {
  envelopeMessage,
  eventually,
  fetchToken,
  produceRaw,
  sampleOrder,
  startTestSuite,
  SuiteApi,
  type Suite,
} from '@fapiao/testing';
import { allRoutes, NO_AUTH, PUBLIC, SIM_ADMIN, type Route } from './routes';

jest.setTimeout(240_000);

/** A USCC with a valid check character, for tenant B. */
const SELLER_B = '91110000802100433B';
const TENANT_SCOPES = [
  'orders:read',
  'orders:write',
  'invoices:read',
  'invoices:reverse',
  'ops:read',
  'ops:write',
];

/** Bodies that pass validation, so that a refusal is the tenant check's and not the body's. */
const BODIES: Record<string, unknown> = {
  'POST /v1/orders/:id/cancel': { reasonCode: '01' },
  'POST /v1/invoices/:id/reverse': { reasonCode: '01' },
  'POST /v1/sagas/:id/retry': { note: 'not mine' },
  'POST /v1/sagas/:id/resolve': { note: 'not mine' },
  'POST /v1/tenants/:tenantId/clients': { name: 'intruder', scopes: ['orders:read'] },
  'POST /v1/tenants/:tenantId/clients/:clientId/rotate-secret': {},
  'POST /v1/tenants/:tenantId/clients/:clientId/revoke': {},
  'POST /v1/keys/:kid/retire': {},
  'POST /v1/tenants': { name: 'Intruder', sellerTaxId: SELLER_B },
  'POST /v1/keys/rotate': {},
};
/**
 * Actions without a path parameter that act on the caller's own tenant: nothing of A's to name (redrive is
 * also called below with A's tenant as its filter).
 */
const OWN_TENANT_ONLY = new Set(['POST /v1/orders', 'POST /v1/dead-letters/redrive']);

interface Answer {
  status: number;
  text: string;
}

describe('tenant isolation on every route', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let apiA: SuiteApi;
  let tokenB: string;
  const a = {} as Record<
    'tenant' | 'client' | 'order' | 'invoice' | 'reversal' | 'saga' | 'deadLetter' | 'kid',
    string
  >;

  const call = async (route: Route, path: string, token: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${SuiteApi.urlOf(suite, route.service)}${path}`, {
      method: route.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, text: await response.text() };
  };

  /** A's identifier for a path parameter, by the collection it follows. */
  const idFor = (path: string, param: string): string => {
    const segments = path.split('/');
    const collection = segments[segments.indexOf(`:${param}`) - 1];
    const ids: Record<string, string> = {
      orders: a.order,
      invoices: a.invoice,
      reversals: a.reversal,
      sagas: a.saga,
      'dead-letters': a.deadLetter,
      tenants: a.tenant,
      clients: a.client,
      keys: a.kid,
    };
    if (param === 'orderId') return a.order;
    const id = ids[collection];
    if (!id) throw new Error(`${path}: no identifier of tenant A for :${param} (add it to idFor)`);
    return id;
  };

  beforeAll(async () => {
    suite = await startTestSuite({ portOffset: 1700, dbPrefix: 'e2e_isolation_' });
    apiA = await SuiteApi.connect(suite);
    const authUrl = apiA.url('auth');
    const platformToken = await fetchToken(authUrl, suite.platformCredentials);
    const platform = (path: string, body: unknown) =>
      fetch(`${authUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { id: string; clientId: string; clientSecret: string },
      }));

    const tenantB = await platform('/v1/tenants', { name: 'Tenant B', sellerTaxId: SELLER_B });
    expect(tenantB.status).toBe(201);
    const clientB = await platform(`/v1/tenants/${tenantB.body.id}/clients`, {
      name: 'b-operator',
      scopes: TENANT_SCOPES,
    });
    expect(clientB.status).toBe(201);
    tokenB = await fetchToken(authUrl, clientB.body);

    // Tenant A: an invoiced order, its reversal and saga, and a dead letter.
    a.tenant = suite.credentials.tenantId;
    a.client = suite.credentials.clientId;
    const jwks = (await (await fetch(`${authUrl}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    a.kid = jwks.keys[0].kid;
    const { body: placed } = await apiA.placeOrder(sampleOrder('ISO-A'), `iso-a-${randomUUID()}`);
    a.order = placed.id;
    await eventually(async () => (await apiA.order(a.order)).status === 'INVOICED', 90_000, 300);
    a.invoice = (await apiA.order(a.order)).invoiceId as string;
    const reversed = await apiA.request<{ id: string }>('invoice', `/v1/invoices/${a.invoice}/reverse`, {
      method: 'POST',
      body: JSON.stringify({ reasonCode: '01' }),
    });
    expect(reversed.status).toBe(202);
    a.reversal = reversed.body.id;
    const sagas = await apiA.request<{ items: { id: string }[] }>('invoice', '/v1/sagas?pageSize=1');
    a.saga = sagas.body.items[0].id;

    const requestId = `REQ-ISO-${randomUUID()}`;
    // Valid envelope, invalid payload (no lines): order dead-letters it under tenant A.
    await produceRaw(TOPICS.invoiceRequests, [
      envelopeMessage('InvoiceRequested', {
        tenantId: a.tenant,
        key: requestId,
        payload: { requestId, ...sampleOrder('ISO-A-DEAD'), lines: [] },
      }),
    ]);
    await eventually(
      async () => {
        const { body } = await apiA.request<{ items: { id: string; key?: string }[] }>(
          'order',
          '/v1/dead-letters?pageSize=200',
        );
        a.deadLetter = body.items.find((item) => JSON.stringify(item).includes(requestId))?.id ?? '';
        return a.deadLetter !== '';
      },
      60_000,
      500,
    );
  });

  afterAll(() => suite?.dispose());

  const guarded = () => allRoutes().filter((route) => ![PUBLIC, NO_AUTH, SIM_ADMIN].includes(route.scopes));

  it("refuses B every read and action naming A's resources, and B's lists never show them", async () => {
    // A's identifiers in an answer, besides those the request itself named (a 404 may echo the id asked).
    const leaks = (answer: Answer, asked: string) =>
      Object.values(a).some((id) => !asked.includes(id) && answer.text.includes(id));
    const REFUSED = [403, 404];
    const verdicts: { route: string; status: number; allowed: number[]; leaked: boolean }[] = [];
    const judge = (route: string, asked: string, answer: Answer, allowed: number[]) =>
      verdicts.push({ route, status: answer.status, allowed, leaked: leaks(answer, asked) });
    for (const route of guarded()) {
      const name = `${route.method} ${route.path}`;
      if (OWN_TENANT_ONLY.has(name)) continue;
      const params = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]);
      const path = params.reduce(
        (built, param) => built.replace(`:${param}`, idFor(route.path, param)),
        route.path,
      );
      if (route.method === 'GET' && params.length === 0) {
        // A list: B's own, without A's ids; naming A's tenant is refused, refused as invalid, or ignored.
        judge(`${route.service} ${name}`, path, await call(route, path, tokenB), [200, 403]);
        const naming = `${path}?tenantId=${a.tenant}`;
        judge(
          `${route.service} ${name}?tenantId=A`,
          naming,
          await call(route, naming, tokenB),
          [200, 403, 404, 422],
        );
        continue;
      }
      if (route.method !== 'GET' && !(name in BODIES))
        throw new Error(`${name}: no valid body for this action (add it to BODIES)`);
      const body = route.method === 'GET' ? undefined : BODIES[name];
      judge(
        `${route.service} ${name}`,
        path + JSON.stringify(body ?? {}),
        await call(route, path, tokenB, body),
        REFUSED,
      );
    }
    // Redriving by filter names A's tenant: only a platform operator may.
    const redrive = guarded().find(
      (route) => route.service === 'order' && route.path === '/v1/dead-letters/redrive',
    );
    if (!redrive) throw new Error('order has no redrive route');
    const byTenant = { tenantId: a.tenant, dryRun: false };
    judge(
      'order POST /v1/dead-letters/redrive {tenantId: A}',
      JSON.stringify(byTenant),
      await call(redrive, redrive.path, tokenB, byTenant),
      REFUSED,
    );

    const wrong = verdicts.filter(({ status, allowed, leaked }) => leaked || !allowed.includes(status));
    expect(wrong).toEqual([]);
    expect(verdicts.length).toBeGreaterThan(30);
  });

  it("leaves A's resources as they were", async () => {
    const order = await apiA.order(a.order);
    expect(['REVERSING', 'REVERSED', 'INVOICED']).toContain(order.status);
    const saga = await apiA.request<{ id: string }>('invoice', `/v1/sagas/${a.saga}`);
    expect(saga.status).toBe(200);
    const letter = await apiA.request<{ state: string }>('order', `/v1/dead-letters/${a.deadLetter}`);
    expect(letter.body.state).toBe('DEAD');
    // A's own client still works: B could neither revoke it nor rotate its secret.
    expect(await fetchToken(apiA.url('auth'), suite.credentials)).toBeTruthy();
  });
});
