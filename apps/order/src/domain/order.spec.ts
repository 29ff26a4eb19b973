import type { CreateOrderRequest } from '@fapiao/contracts';
import { DomainError } from '@fapiao/contracts';
import { Order, type OrderProps } from './order';
import type { OrderStatus, ReversalRefusal } from './order-status';

const request: CreateOrderRequest = {
  externalId: 'ERP-1',
  invoiceType: 'normal',
  buyer: { name: '买方' },
  lines: [
    {
      name: '*信息技术服务*软件开发服务',
      taxCode: '3040201010000000000',
      quantity: '1',
      unitPrice: '1000.00',
      taxRate: '0.06',
      priceIncludesTax: true,
    },
  ],
};

const at = new Date('2026-03-01T08:00:00.000Z');
const placed = () =>
  Order.place({ id: 'order-1', tenantId: 'tenant-1', sellerTaxId: 'seller', request, now: at });
const inStatus = (status: OrderStatus, change: Partial<OrderProps> = {}) =>
  Order.restore({ ...placed().toProps(), status, ...change });

const refusal: ReversalRefusal = {
  cause: 'order-cancelled',
  partiallyReversed: false,
  reversalId: 'rev-1',
  code: 'TAX.REVERSAL_REFUSED',
  message: 'buyer declined',
};

describe('Order', () => {
  it('is placed ACCEPTED with nothing invoiced', () => {
    expect(placed().toProps()).toEqual({
      id: 'order-1',
      tenantId: 'tenant-1',
      sellerTaxId: 'seller',
      externalId: 'ERP-1',
      invoiceType: 'normal',
      status: 'ACCEPTED',
      request,
      invoiceId: null,
      rejection: null,
      invoicedGross: null,
      reversalError: null,
      createdAt: at,
      updatedAt: at,
    });
  });

  describe('cancel', () => {
    it('cancels at once when nothing is invoiced, with the requested reason if any', () => {
      for (const status of ['ACCEPTED', 'INVOICE_REJECTED', 'REVERSED'] as const) {
        const order = inStatus(status);
        expect(order.cancel('03')).toEqual({ reasonCode: '03' });
        expect(order.status).toBe('CANCELLED');
        expect(inStatus(status).cancel()).toEqual({ reasonCode: undefined });
      }
    });

    it('waits for the reversal of an invoiced order, for 02 unless told otherwise', () => {
      for (const status of ['INVOICED', 'PARTIALLY_REVERSED'] as const) {
        const order = inStatus(status);
        expect(order.cancel(undefined, { mayReverse: true })).toEqual({ reasonCode: '02' });
        expect(order.status).toBe('CANCELLING');
        expect(inStatus(status).cancel('04', { mayReverse: true })).toEqual({ reasonCode: '04' });
      }
    });

    it('refuses with ORDER.REVERSAL_NOT_PERMITTED to reverse an invoice for a caller who may not, changing nothing', () => {
      for (const status of ['INVOICED', 'PARTIALLY_REVERSED'] as const) {
        for (const options of [undefined, { mayReverse: false }]) {
          const order = inStatus(status);
          let thrown: unknown;
          try {
            order.cancel('02', options);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect(thrown).toMatchObject({
            kind: 'forbidden',
            code: 'ORDER.REVERSAL_NOT_PERMITTED',
            field: 'scope',
          });
          expect(order.status).toBe(status);
        }
      }
    });

    it('needs no right to reverse where nothing is to be reversed', () => {
      for (const status of ['ACCEPTED', 'INVOICE_REJECTED', 'REVERSED'] as const) {
        expect(inStatus(status).cancel('03', { mayReverse: false })).toEqual({ reasonCode: '03' });
      }
      expect(inStatus('CANCELLING').cancel('03', { mayReverse: false })).toBeUndefined();
    });

    it('changes nothing on an order already cancelling or cancelled', () => {
      for (const status of ['CANCELLING', 'CANCELLED'] as const) {
        const order = inStatus(status);
        expect(order.cancel('01')).toBeUndefined();
        expect(order.status).toBe(status);
      }
    });

    it('refuses with ORDER.NOT_CANCELLABLE while the invoice is in flight, changing nothing', () => {
      const order = inStatus('INVOICING');
      let thrown: unknown;
      try {
        order.cancel();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ kind: 'conflict', code: 'ORDER.NOT_CANCELLABLE', field: 'status' });
      expect(order.status).toBe('INVOICING');
    });
  });

  describe('invoice progress', () => {
    it('moves forward on drafted, issued and rejected, naming the invoice', () => {
      const order = placed();
      expect(order.invoiceDrafted('inv-1')).toBe(true);
      expect(order.toProps()).toMatchObject({ status: 'INVOICING', invoiceId: 'inv-1' });
      expect(order.invoiceIssued('inv-1', '1000.00')).toBe(true);
      expect(order.toProps()).toMatchObject({ status: 'INVOICED', invoicedGross: '1000.00' });

      const rejected = inStatus('INVOICING');
      const rejection = { stage: 'validation' as const, errors: [{ code: 'X', message: 'bad' }] };
      expect(rejected.invoiceRejected('inv-2', rejection)).toBe(true);
      expect(rejected.toProps()).toMatchObject({ status: 'INVOICE_REJECTED', invoiceId: 'inv-2', rejection });
    });

    it('ignores stale or repeated events', () => {
      const invoiced = inStatus('INVOICED', { invoiceId: 'inv-1', invoicedGross: '1000.00' });
      expect(invoiced.invoiceDrafted('inv-1')).toBe(false);
      expect(invoiced.invoiceIssued('inv-1', '1000.00')).toBe(false);
      expect(invoiced.invoiceRejected('inv-1', { stage: 'authority', errors: [] })).toBe(false);
      expect(invoiced.toProps()).toEqual(
        inStatus('INVOICED', { invoiceId: 'inv-1', invoicedGross: '1000.00' }).toProps(),
      );
    });

    it('records an invoice issued after the order was cancelled once, keeping it CANCELLED', () => {
      const order = inStatus('CANCELLED');
      expect(order.invoiceIssued('inv-1', '1000.00')).toBe(true);
      expect(order.toProps()).toMatchObject({
        status: 'CANCELLED',
        invoiceId: 'inv-1',
        invoicedGross: '1000.00',
      });
      expect(order.invoiceIssued('inv-1', '1000.00')).toBe(false);
    });
  });

  describe('invoiceReversed', () => {
    it('finishes a cancel on a full reversal and clears a stored reversal error', () => {
      const order = inStatus('CANCELLING', {
        invoiceId: 'inv-1',
        invoicedGross: '1000.00',
        reversalError: '{}',
      });
      expect(order.invoiceReversed('inv-1', { fullyReversed: true, remainingGross: '0.00' })).toBe(true);
      expect(order.toProps()).toMatchObject({
        status: 'CANCELLED',
        invoicedGross: '0.00',
        reversalError: null,
      });
    });

    it('names the invoice when the reversal overtook InvoiceIssued, and keeps a known one', () => {
      const overtaken = inStatus('INVOICING');
      expect(overtaken.invoiceReversed('inv-1', { fullyReversed: false, remainingGross: '600.00' })).toBe(
        true,
      );
      expect(overtaken.toProps()).toMatchObject({
        status: 'PARTIALLY_REVERSED',
        invoiceId: 'inv-1',
        invoicedGross: '600.00',
      });

      const known = inStatus('INVOICED', { invoiceId: 'inv-1', invoicedGross: '1000.00' });
      expect(known.invoiceReversed('inv-other', { fullyReversed: false, remainingGross: '600.00' })).toBe(
        true,
      );
      expect(known.invoiceId).toBe('inv-1');
    });

    it('ignores a repeated or stale report', () => {
      const order = inStatus('PARTIALLY_REVERSED', { invoiceId: 'inv-1', invoicedGross: '600.00' });
      expect(order.invoiceReversed('inv-1', { fullyReversed: false, remainingGross: '600.00' })).toBe(false);
      expect(
        inStatus('REVERSED').invoiceReversed('inv-1', { fullyReversed: true, remainingGross: '0.00' }),
      ).toBe(false);
      expect(order.status).toBe('PARTIALLY_REVERSED');
    });
  });

  describe('reversalRefused', () => {
    const error = JSON.stringify({
      code: refusal.code,
      message: refusal.message,
      reversalId: refusal.reversalId,
    });

    it('returns a cancelling order to what remains invoiced, with the error', () => {
      const order = inStatus('CANCELLING', { invoicedGross: '1000.00' });
      expect(order.reversalRefused(refusal)).toBe(true);
      expect(order.toProps()).toMatchObject({
        status: 'INVOICED',
        invoicedGross: '1000.00',
        reversalError: error,
      });
      const partial = inStatus('CANCELLING', { invoicedGross: '600.00' });
      expect(partial.reversalRefused({ ...refusal, partiallyReversed: true })).toBe(true);
      expect(partial.status).toBe('PARTIALLY_REVERSED');
    });

    it('records the error once on an order cancelled before its invoice was issued', () => {
      const order = inStatus('CANCELLED');
      expect(order.reversalRefused(refusal)).toBe(true);
      expect(order.toProps()).toMatchObject({ status: 'CANCELLED', reversalError: error });
      expect(order.reversalRefused(refusal)).toBe(false);
    });

    it("ignores a client's own refused request and an order not waiting for a cancel's reversal", () => {
      expect(inStatus('CANCELLING').reversalRefused({ ...refusal, cause: 'request' })).toBe(false);
      expect(inStatus('INVOICED').reversalRefused(refusal)).toBe(false);
    });
  });
});
