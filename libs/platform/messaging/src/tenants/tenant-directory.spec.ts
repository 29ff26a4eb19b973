import { TenantDirectory } from './tenant-directory';

const SELLER_A = '91440300708461136T';
const SELLER_B = '91110000802100433B';

function directory(answers: Record<string, Response | Error>) {
  const fetchMock = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const id = String(input).split('/').pop() ?? '';
    const answer = answers[id] ?? new Response('{}', { status: 404 });
    if (answer instanceof Error) throw answer;
    return answer.clone();
  });
  return {
    fetchMock,
    tenants: new TenantDirectory({ authInternalUrl: 'http://auth.test', cacheTtlMs: 60_000 }),
  };
}
const tenant = (id: string, sellerTaxId: string) =>
  new Response(JSON.stringify({ id, name: 'n', sellerTaxId }), { status: 200 });

describe('TenantDirectory', () => {
  afterEach(() => jest.restoreAllMocks());

  it("accepts the tenant's own seller and refuses another's (TENANT.SELLER_MISMATCH, poison)", async () => {
    const { tenants } = directory({ a: tenant('a', SELLER_A), b: tenant('b', SELLER_B) });
    await expect(tenants.assertSeller('a', SELLER_A)).resolves.toMatchObject({ sellerTaxId: SELLER_A });
    await expect(tenants.assertSeller('b', SELLER_A)).rejects.toMatchObject({
      code: 'TENANT.SELLER_MISMATCH',
      kind: 'forbidden',
      field: 'seller.taxId',
    });
  });

  it('refuses an unknown tenant (TENANT.UNKNOWN) and retries while auth cannot answer', async () => {
    const { tenants } = directory({
      down: new Error('connect ECONNREFUSED'),
      broken: new Response('oops', { status: 503 }),
      odd: new Response('{"id":"odd"}', { status: 200 }),
    });
    await expect(tenants.assertSeller('nobody', SELLER_A)).rejects.toMatchObject({
      code: 'TENANT.UNKNOWN',
      kind: 'validation',
    });
    for (const id of ['down', 'broken', 'odd']) {
      await expect(tenants.get(id)).rejects.toMatchObject({
        code: 'TENANT.DIRECTORY_UNAVAILABLE',
        kind: 'unavailable',
      });
    }
  });

  it('caches a known tenant, not an unknown one', async () => {
    const { tenants, fetchMock } = directory({ a: tenant('a', SELLER_A) });
    await tenants.get('a');
    await tenants.get('a');
    await expect(tenants.get('x')).rejects.toThrow();
    await expect(tenants.get('x')).rejects.toThrow();
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });
});
