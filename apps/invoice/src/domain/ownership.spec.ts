import { InvoiceErrors } from './invoice.errors';
import { assertOwnedBy } from './ownership';
import { ReversalErrors } from './reversal.errors';

describe('assertOwnedBy', () => {
  it("refuses a message of one tenant for another tenant's invoice or reversal, with a stable code", () => {
    const refuse = (tenantId: string) => InvoiceErrors.tenantMismatch('inv-1', tenantId);
    expect(() => assertOwnedBy({ tenantId: 'tenant-a' }, 'tenant-b', refuse)).toThrow(
      expect.objectContaining({ code: 'INVOICE.TENANT_MISMATCH', kind: 'forbidden', field: 'tenantId' }),
    );
    expect(() =>
      assertOwnedBy({ tenantId: 'tenant-a' }, 'tenant-b', (t) => ReversalErrors.tenantMismatch('rev-1', t)),
    ).toThrow(expect.objectContaining({ code: 'REVERSAL.TENANT_MISMATCH', kind: 'forbidden' }));
  });

  it("lets the owner's messages through, and leaves a missing record to the tenant-scoped read", () => {
    const refuse = (tenantId: string) => InvoiceErrors.tenantMismatch('inv-1', tenantId);
    expect(() => assertOwnedBy({ tenantId: 'tenant-a' }, 'tenant-a', refuse)).not.toThrow();
    expect(() => assertOwnedBy(null, 'tenant-b', refuse)).not.toThrow();
  });
});
