import type { ApiClientRepository } from '../../infrastructure/api-client.repository';
import type { TenantRepository } from '../../infrastructure/tenant.repository';
import { CreateClientHandler } from './create-client.handler';

describe('CreateClientHandler', () => {
  const tenants = { findById: jest.fn(() => Promise.resolve({ id: 't1' })) };
  const clients = { save: jest.fn((client: unknown) => Promise.resolve(client)) };
  const handler = new CreateClientHandler(
    tenants as unknown as TenantRepository,
    clients as unknown as ApiClientRepository,
  );

  it.each(['platform:admin', 'tenants:lookup'] as const)(
    "never gives a tenant's client %s (CLIENT.PLATFORM_SCOPE_NOT_GRANTABLE), and stores nothing",
    async (scope) => {
      await expect(
        handler.execute('t1', { name: 'x', scopes: ['orders:read', scope] }),
      ).rejects.toMatchObject({
        code: 'CLIENT.PLATFORM_SCOPE_NOT_GRANTABLE',
        kind: 'validation',
        field: 'scopes',
      });
      expect(clients.save).not.toHaveBeenCalled();
    },
  );

  it('creates a client with tenant scopes, its secret shown once', async () => {
    const created = await handler.execute('t1', { name: 'erp', scopes: ['orders:read', 'ops:read'] });
    expect(created).toMatchObject({ tenantId: 't1', scopes: ['orders:read', 'ops:read'] });
    expect(clients.save).toHaveBeenCalledWith(expect.objectContaining({ tenantId: 't1' }));
  });
});
