/**
 * Platform versus tenant administration and the client lifecycle, on running auth and order processes
 * (issue 14 items 1, 2 and 9): a tenant's client cannot administer, cannot obtain a platform scope, a
 * revoked client's token is refused by another service within AUTH_REVOCATION_CACHE_MS, a rotated
 * secret keeps working for its grace period, and auth's tenant directory answers service callers only.
 */
import { eventually, fetchToken, startTestSuite, SuiteApi, type Suite } from '@fapiao/testing';

jest.setTimeout(180_000);

/** Short on purpose, so the bounds below are measured in seconds, not minutes. */
const REVOCATION_CACHE_MS = 1_000;
const GRACE_SECONDS = 3;
/** USCCs with valid check characters, for tenants this file creates. */
const SELLER_B = '91110000802100433B';
const SELLER_C = '91310000MA1FL4B24G';

interface Body {
  code?: string;
  field?: string;
  [key: string]: unknown;
}

describe('administration: platform and tenant clients', () => {
  let suite: Suite & { dispose(): Promise<void> };
  let tenantApi: SuiteApi;
  let platformToken: string;
  let tenantB: string;

  const call = async (service: string, path: string, token: string | undefined, init: RequestInit = {}) => {
    const response = await fetch(`${SuiteApi.urlOf(suite, service)}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Body };
  };
  const post = (service: string, path: string, token: string | undefined, body?: unknown) =>
    call(service, path, token, {
      method: 'POST',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const tokenStatus = async (clientId: string, clientSecret: string, scope?: string) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    if (scope) form.set('scope', scope);
    const response = await fetch(`${SuiteApi.urlOf(suite, 'auth')}/oauth/token`, {
      method: 'POST',
      body: form,
    });
    return { status: response.status, body: (await response.json()) as Body };
  };
  const demoToken = () => fetchToken(SuiteApi.urlOf(suite, 'auth'), suite.credentials);
  const newClient = async (tenantId: string, scopes: string[]) => {
    const created = await post('auth', `/v1/tenants/${tenantId}/clients`, platformToken, {
      name: 'erp',
      scopes,
    });
    expect(created.status).toBe(201);
    return created.body as unknown as { clientId: string; clientSecret: string };
  };

  beforeAll(async () => {
    suite = await startTestSuite({
      portOffset: 1200,
      dbPrefix: 'e2e_admin_',
      only: ['auth', 'order'],
      extra: {
        AUTH_REVOCATION_CACHE_MS: String(REVOCATION_CACHE_MS),
        AUTH_SECRET_ROTATION_GRACE_SECONDS: String(GRACE_SECONDS),
      },
    });
    tenantApi = await SuiteApi.connect(suite);
    platformToken = await fetchToken(tenantApi.url('auth'), suite.platformCredentials);
    const created = await post('auth', '/v1/tenants', platformToken, {
      name: 'Tenant B',
      sellerTaxId: SELLER_B,
    });
    expect(created.status).toBe(201);
    tenantB = created.body['id'] as string;
  });

  afterAll(() => suite?.dispose());

  it('gives the demo client tenant scopes only', async () => {
    const issued = await tokenStatus(suite.credentials.clientId, suite.credentials.clientSecret);
    expect((issued.body['scope'] as string).split(' ').sort()).toEqual(
      ['invoices:read', 'invoices:reverse', 'ops:read', 'ops:write', 'orders:read', 'orders:write'].sort(),
    );
  });

  it("refuses a tenant's client every platform action: tenants, clients (own or another tenant's), keys", async () => {
    const token = await demoToken();
    const attempts = [
      post('auth', '/v1/tenants', token, { name: 'Mine now', sellerTaxId: SELLER_C }),
      post('auth', `/v1/tenants/${tenantB}/clients`, token, { name: 'x', scopes: ['orders:read'] }),
      post('auth', `/v1/tenants/${suite.credentials.tenantId}/clients`, token, {
        name: 'x',
        scopes: ['orders:read'],
      }),
      call('auth', `/v1/tenants/${tenantB}/clients`, token),
      post('auth', `/v1/tenants/${tenantB}/clients/cli_x/revoke`, token),
      post('auth', `/v1/tenants/${tenantB}/clients/cli_x/rotate-secret`, token),
      post('auth', '/v1/keys/rotate', token),
    ];
    for (const refused of await Promise.all(attempts)) {
      expect(refused).toMatchObject({
        status: 403,
        body: { code: 'AUTH.INSUFFICIENT_SCOPE', message: 'Requires scope platform:admin' },
      });
    }
  });

  it('never lets a tenant client hold or obtain a platform scope', async () => {
    const asked = await tokenStatus(
      suite.credentials.clientId,
      suite.credentials.clientSecret,
      'platform:admin',
    );
    expect(asked).toMatchObject({
      status: 400,
      body: { code: 'AUTH.INVALID_SCOPE', error: 'invalid_scope' },
    });
    for (const scope of ['platform:admin', 'tenants:lookup']) {
      const granted = await post('auth', `/v1/tenants/${tenantB}/clients`, platformToken, {
        name: 'sneaky',
        scopes: ['orders:read', scope],
      });
      expect(granted).toMatchObject({
        status: 422,
        body: { code: 'CLIENT.PLATFORM_SCOPE_NOT_GRANTABLE', field: 'scopes' },
      });
    }
  });

  it("lists a tenant's clients for the platform administrator, never their secrets", async () => {
    const { clientId } = await newClient(tenantB, ['orders:read']);
    const listed = await call('auth', `/v1/tenants/${tenantB}/clients`, platformToken);
    expect(listed.status).toBe(200);
    const items = listed.body['items'] as Record<string, unknown>[];
    expect(items.map((item) => item['clientId'])).toContain(clientId);
    expect(JSON.stringify(items)).not.toMatch(/secret"|hash|scrypt/i);
  });

  it(`refuses a revoked client's existing token within ${REVOCATION_CACHE_MS} ms (+ slack) in another service`, async () => {
    const { clientId, clientSecret } = await newClient(tenantB, ['orders:read']);
    const token = await fetchToken(tenantApi.url('auth'), { clientId, clientSecret });
    expect((await call('order', '/v1/orders', token)).status).toBe(200);

    const revoked = await post('auth', `/v1/tenants/${tenantB}/clients/${clientId}/revoke`, platformToken);
    expect(revoked.status).toBe(200);
    expect(revoked.body['revokedAt']).toEqual(expect.any(String));
    const took = await eventually(
      async () => (await call('order', '/v1/orders', token)).body.code === 'AUTH.CLIENT_REVOKED',
      10_000,
      100,
    );
    expect(took).toBeLessThanOrEqual(REVOCATION_CACHE_MS + 1_500);
    expect((await call('order', '/v1/orders', token)).status).toBe(401);
    expect((await tokenStatus(clientId, clientSecret)).body.code).toBe('AUTH.INVALID_CLIENT');
    // Another tenant's client id under this tenant's path is "not found".
    const foreign = await post(
      'auth',
      `/v1/tenants/${suite.credentials.tenantId}/clients/${clientId}/revoke`,
      platformToken,
    );
    expect(foreign).toMatchObject({ status: 404, body: { code: 'CLIENT.NOT_FOUND' } });
  });

  it(`keeps a rotated secret working for its ${GRACE_SECONDS} s grace period, then only the new one`, async () => {
    const { clientId, clientSecret: oldSecret } = await newClient(tenantB, ['orders:read']);
    const rotated = await post(
      'auth',
      `/v1/tenants/${tenantB}/clients/${clientId}/rotate-secret`,
      platformToken,
    );
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body['clientSecret'] as string;
    expect(rotated.body['previousSecretValidUntil']).toEqual(expect.any(String));
    expect((await tokenStatus(clientId, oldSecret)).status).toBe(200);
    expect((await tokenStatus(clientId, newSecret)).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 300));
    expect((await tokenStatus(clientId, oldSecret)).body.code).toBe('AUTH.INVALID_CLIENT');
    expect((await tokenStatus(clientId, newSecret)).status).toBe(200);
  });

  it('answers the internal tenant directory to service callers only', async () => {
    const path = `/internal/v1/tenants/${suite.credentials.tenantId}`;
    expect(await call('auth', path, undefined)).toMatchObject({
      status: 401,
      body: { code: 'AUTH.MISSING_TOKEN' },
    });
    expect(await call('auth', path, await demoToken())).toMatchObject({
      status: 403,
      body: { code: 'AUTH.INSUFFICIENT_SCOPE' },
    });
    // order's own service client, as the supervisor configured it (what its TenantDirectory presents).
    const order = suite.running.find((running) => running.service.name === 'order');
    const env = order?.env ?? {};
    const service = await fetchToken(tenantApi.url('auth'), {
      clientId: env['AUTH_CLIENT_ID'],
      clientSecret: env['AUTH_CLIENT_SECRET'],
    });
    expect(await call('auth', path, service)).toMatchObject({
      status: 200,
      body: { id: suite.credentials.tenantId, sellerTaxId: suite.credentials.sellerTaxId },
    });
  });
});
