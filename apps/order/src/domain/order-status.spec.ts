import { applyInvoiceProgress } from './order-status';

describe('applyInvoiceProgress', () => {
  it('moves an order forward on invoice events', () => {
    expect(applyInvoiceProgress('ACCEPTED', 'drafted')).toBe('INVOICING');
    expect(applyInvoiceProgress('INVOICING', 'issued')).toBe('INVOICED');
    expect(applyInvoiceProgress('INVOICING', 'rejected')).toBe('INVOICE_REJECTED');
  });

  it('ignores stale or repeated events instead of moving backwards', () => {
    expect(applyInvoiceProgress('INVOICED', 'drafted')).toBeUndefined();
    expect(applyInvoiceProgress('INVOICED', 'issued')).toBeUndefined();
    expect(applyInvoiceProgress('CANCELLED', 'issued')).toBeUndefined();
  });
});
