import Decimal from 'decimal.js';
import { Invoice, type InvoiceLine } from './invoice';

const line: InvoiceLine = {
  lineNo: 1,
  name: '*信息技术服务*软件服务费',
  taxCode: '3040201010000000000',
  quantity: '1',
  unitPrice: '1000.00',
  taxRate: '0.06',
  priceIncludesTax: true,
  net: '943.40',
  tax: '56.60',
  gross: '1000.00',
};
const draft = {
  id: '0193a6f0-0000-7000-8000-000000000001',
  tenantId: 't',
  orderId: 'o',
  invoiceType: 'normal' as const,
  sellerTaxId: '91310000MA1K000001',
  buyer: { name: '上海某某有限公司', taxId: null },
  now: new Date('2026-11-11T00:00:00Z'),
};
const submitted = () =>
  Invoice.submit({
    ...draft,
    lines: [line],
    totals: { net: '943.40', tax: '56.60', gross: '1000.00' },
    uppercaseGross: '壹仟圆整',
  });
const issued = () => {
  const invoice = submitted();
  invoice.issue({ number: '26312000000000000001', issuedAt: new Date(), fileRef: 'f' });
  invoice.saved(2);
  return invoice;
};

describe('Invoice', () => {
  it('is submitted under a serial derived from its id, and records why', () => {
    const invoice = submitted();
    expect(invoice.snapshot()).toMatchObject({
      status: 'SUBMITTED',
      serial: 'FP0193A6F0000070008000000000000001',
    });
    expect(invoice.pendingChanges()).toEqual([
      { status: 'SUBMITTED', note: 'drafted and submitted with serial FP0193A6F0000070008000000000000001' },
    ]);
  });

  it('keeps every failing field of a draft that failed validation', () => {
    const errors = [{ code: 'LINE.TAX_CODE', message: 'unknown', field: 'lines[0].taxCode' }];
    const invoice = Invoice.rejectDraft({ ...draft, errors });
    expect(invoice.snapshot()).toMatchObject({ status: 'REJECTED', errors, totals: null });
  });

  it('is issued once: a redelivered outcome changes nothing', () => {
    const invoice = issued();
    expect(invoice.issue({ number: '26312000000000000002', issuedAt: new Date(), fileRef: 'g' })).toBe(false);
    expect(invoice.number).toBe('26312000000000000001');
    expect(invoice.changed).toBe(false);
  });

  it('cannot be rejected once issued: only a red-letter invoice undoes it', () => {
    expect(() => issued().reject({ code: 'X', message: 'late' })).toThrow(
      expect.objectContaining({ code: 'INVOICE.ILLEGAL_TRANSITION' }),
    );
    const invoice = submitted();
    expect(invoice.reject({ code: 'AUTH.REFUSED', message: 'no' })).toBe(true);
    expect(invoice.reject({ code: 'AUTH.REFUSED', message: 'again' })).toBe(false);
  });

  it('a cancelled order cancels a rejected invoice, and remembers the reason for an issued one', () => {
    const rejected = Invoice.rejectDraft({ ...draft, errors: [{ code: 'X', message: 'bad' }] });
    expect(rejected.orderCancelled('02')).toBe(true);
    expect(rejected.status).toBe('CANCELLED');

    const invoice = issued();
    expect(invoice.orderCancelled('03')).toBe(false);
    expect(invoice.status).toBe('ISSUED');
    expect(invoice.takeCancelReason()).toBe('03');
    expect(invoice.cancelReason).toBeNull();
  });

  it('is partially, then fully reversed by the red-letter invoices issued against it', () => {
    const invoice = issued();
    expect(
      invoice.reversed({ number: 'R1', formId: 'F1', gross: '-400.00' }, new Decimal('-400.00')).toFixed(2),
    ).toBe('600.00');
    expect(invoice.status).toBe('PARTIALLY_REVERSED');
    invoice.reversed({ number: 'R2', formId: 'F2', gross: '-600.00' }, new Decimal('-1000.00'));
    expect(invoice.status).toBe('REVERSED');
    expect(() => submitted().reversed({ number: 'R', formId: 'F', gross: '-1' }, new Decimal(-1))).toThrow(
      expect.objectContaining({ code: 'INVOICE.ILLEGAL_TRANSITION' }),
    );
  });
});
