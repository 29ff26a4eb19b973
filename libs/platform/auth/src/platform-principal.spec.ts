import { operatorTenantScope, PLATFORM_TENANT_ID } from './platform-principal';

const tenant = { tenantId: 'tenant-a', clientId: 'ops-a', scopes: ['ops:read', 'ops:write'] };
const platform = {
  tenantId: PLATFORM_TENANT_ID,
  clientId: 'platform',
  scopes: ['platform:admin', 'ops:read', 'ops:write'],
};

describe('operatorTenantScope', () => {
  it("confines a tenant's operator to its own tenant", () => {
    expect(operatorTenantScope(tenant, undefined)).toBe('tenant-a');
    expect(operatorTenantScope(tenant, 'tenant-a')).toBe('tenant-a');
  });

  it("refuses a tenant's operator another tenant", () => {
    expect(() => operatorTenantScope(tenant, 'tenant-b')).toThrow(
      expect.objectContaining({ code: 'AUTH.CROSS_TENANT' }),
    );
  });

  it('gives the platform administrator the tenant it names, or every tenant', () => {
    expect(operatorTenantScope(platform, 'tenant-b')).toBe('tenant-b');
    expect(operatorTenantScope(platform, undefined)).toBeUndefined();
  });

  it('does not take platform:admin in a tenant token for the platform administrator', () => {
    const forged = { ...tenant, scopes: [...tenant.scopes, 'platform:admin'] };
    expect(operatorTenantScope(forged, undefined)).toBe('tenant-a');
  });
});
