import {
  applyInvoiceProgress,
  applyReversal,
  applyReversalRefusal,
  decideCancel,
  ORDER_STATUSES,
  recordsIssueAfterCancel,
  type OrderStatus,
  type ReversalRefusal,
  type ReversalState,
} from './order-status';

describe('applyInvoiceProgress', () => {
  it('moves an order forward on invoice events', () => {
    expect(applyInvoiceProgress('ACCEPTED', 'drafted')).toBe('INVOICING');
    expect(applyInvoiceProgress('INVOICING', 'issued')).toBe('INVOICED');
    expect(applyInvoiceProgress('ACCEPTED', 'issued')).toBe('INVOICED');
    expect(applyInvoiceProgress('INVOICING', 'rejected')).toBe('INVOICE_REJECTED');
  });

  it('ignores stale or repeated events instead of moving backwards', () => {
    expect(applyInvoiceProgress('INVOICED', 'drafted')).toBeUndefined();
    expect(applyInvoiceProgress('INVOICED', 'issued')).toBeUndefined();
    expect(applyInvoiceProgress('CANCELLED', 'issued')).toBeUndefined();
    for (const status of ['CANCELLING', 'PARTIALLY_REVERSED', 'REVERSED'] as const) {
      expect(applyInvoiceProgress(status, 'drafted')).toBeUndefined();
      expect(applyInvoiceProgress(status, 'issued')).toBeUndefined();
      expect(applyInvoiceProgress(status, 'rejected')).toBeUndefined();
    }
  });
});

describe('recordsIssueAfterCancel', () => {
  it('records an invoice issued for an order cancelled before invoice knew of it, once', () => {
    expect(recordsIssueAfterCancel({ status: 'CANCELLED', invoiceId: null })).toBe(true);
    expect(recordsIssueAfterCancel({ status: 'CANCELLED', invoiceId: 'inv-1' })).toBe(false);
    expect(recordsIssueAfterCancel({ status: 'INVOICING', invoiceId: null })).toBe(false);
  });
});

describe('decideCancel', () => {
  it('cancels at once when nothing is invoiced, passing on the reason if any', () => {
    for (const status of ['ACCEPTED', 'INVOICE_REJECTED', 'REVERSED'] as const) {
      expect(decideCancel(status, undefined)).toEqual({
        kind: 'cancel',
        to: 'CANCELLED',
        reasonCode: undefined,
      });
      expect(decideCancel(status, '03')).toEqual({ kind: 'cancel', to: 'CANCELLED', reasonCode: '03' });
    }
  });

  it('waits for the reversal of an invoiced order, reversing for 02 unless told otherwise', () => {
    for (const status of ['INVOICED', 'PARTIALLY_REVERSED'] as const) {
      expect(decideCancel(status, undefined)).toEqual({ kind: 'cancel', to: 'CANCELLING', reasonCode: '02' });
      expect(decideCancel(status, '01')).toEqual({ kind: 'cancel', to: 'CANCELLING', reasonCode: '01' });
      expect(decideCancel(status, '04')).toEqual({ kind: 'cancel', to: 'CANCELLING', reasonCode: '04' });
    }
  });

  it('answers a cancelling or cancelled order unchanged', () => {
    expect(decideCancel('CANCELLING', '03')).toEqual({ kind: 'unchanged' });
    expect(decideCancel('CANCELLED', undefined)).toEqual({ kind: 'unchanged' });
  });

  it('refuses while the invoice is in flight', () => {
    expect(decideCancel('INVOICING', undefined)).toEqual({ kind: 'refused' });
    expect(decideCancel('INVOICING', '02')).toEqual({ kind: 'refused' });
  });

  it('has a rule for every status', () => {
    for (const status of ORDER_STATUSES) expect(decideCancel(status, undefined).kind).toBeDefined();
  });
});

describe('applyReversal', () => {
  const state = (status: OrderStatus, invoicedGross: string | null = '1000.00'): ReversalState => ({
    status,
    invoicedGross,
    reversalError: null,
  });
  const full = { fullyReversed: true, remainingGross: '0.00' };
  const partial = { fullyReversed: false, remainingGross: '600.00' };

  it('finishes a cancel when the whole remainder is reversed', () => {
    expect(applyReversal(state('CANCELLING'), full)).toEqual(state('CANCELLED', '0.00'));
    expect(applyReversal(state('CANCELLING', '600.00'), full)).toEqual(state('CANCELLED', '0.00'));
  });

  it('marks an invoiced order REVERSED on a full reversal without a cancel', () => {
    expect(applyReversal(state('INVOICED'), full)).toEqual(state('REVERSED', '0.00'));
    expect(applyReversal(state('PARTIALLY_REVERSED', '600.00'), full)).toEqual(state('REVERSED', '0.00'));
  });

  it('keeps a cancelled order cancelled but records what remains', () => {
    expect(applyReversal(state('CANCELLED'), full)).toEqual(state('CANCELLED', '0.00'));
    expect(applyReversal(state('CANCELLED', null), full)).toEqual(state('CANCELLED', '0.00'));
  });

  it('moves INVOICED to PARTIALLY_REVERSED on a partial reversal, and records further ones', () => {
    expect(applyReversal(state('INVOICED'), partial)).toEqual(state('PARTIALLY_REVERSED', '600.00'));
    expect(
      applyReversal(state('PARTIALLY_REVERSED', '600.00'), { fullyReversed: false, remainingGross: '250.5' }),
    ).toEqual(state('PARTIALLY_REVERSED', '250.5'));
  });

  it('keeps a cancelling order cancelling on a partial reversal requested earlier', () => {
    expect(applyReversal(state('CANCELLING'), partial)).toEqual(state('CANCELLING', '600.00'));
  });

  it('clears a stored cancel-reversal error on success', () => {
    const failed = { ...state('INVOICED'), reversalError: '{"code":"X"}' };
    expect(applyReversal(failed, partial)?.reversalError).toBeNull();
  });

  it('applies a reversal that overtook InvoiceIssued', () => {
    expect(applyReversal(state('INVOICING', null), partial)).toEqual(state('PARTIALLY_REVERSED', '600.00'));
    expect(applyReversal(state('ACCEPTED', null), full)).toEqual(state('REVERSED', '0.00'));
  });

  it('ignores repeated and stale reports', () => {
    expect(applyReversal(state('REVERSED', '0.00'), full)).toBeUndefined();
    expect(applyReversal(state('CANCELLED', '0.00'), full)).toBeUndefined();
    expect(applyReversal(state('PARTIALLY_REVERSED', '600.00'), partial)).toBeUndefined();
    expect(applyReversal(state('PARTIALLY_REVERSED', '600.00'), { ...partial, remainingGross: '600' })).toBe(
      undefined,
    );
    // An older partial reversal arriving after a later one.
    expect(applyReversal(state('PARTIALLY_REVERSED', '250.00'), partial)).toBeUndefined();
    // After REVERSED nothing moves it, not even a report with a lower figure.
    expect(applyReversal(state('REVERSED', null), partial)).toBeUndefined();
    expect(applyReversal(state('INVOICE_REJECTED', null), full)).toBeUndefined();
  });
});

describe('applyReversalRefusal', () => {
  const refusal: ReversalRefusal = {
    cause: 'order-cancelled',
    partiallyReversed: false,
    reversalId: 'rev-1',
    code: 'TAX.REVERSAL_REFUSED',
    message: 'buyer declined',
  };
  const error = JSON.stringify({
    code: 'TAX.REVERSAL_REFUSED',
    message: 'buyer declined',
    reversalId: 'rev-1',
  });
  const state = (status: OrderStatus, reversalError: string | null = null): ReversalState => ({
    status,
    invoicedGross: '1000.00',
    reversalError,
  });

  it('returns a cancelling order to what remains invoiced, with the error', () => {
    expect(applyReversalRefusal(state('CANCELLING'), refusal)).toEqual({
      status: 'INVOICED',
      invoicedGross: '1000.00',
      reversalError: error,
    });
    expect(applyReversalRefusal(state('CANCELLING'), { ...refusal, partiallyReversed: true })).toEqual({
      status: 'PARTIALLY_REVERSED',
      invoicedGross: '1000.00',
      reversalError: error,
    });
  });

  it('records the error on an order cancelled before its invoice was issued, once', () => {
    expect(applyReversalRefusal(state('CANCELLED'), refusal)).toEqual(state('CANCELLED', error));
    expect(applyReversalRefusal(state('CANCELLED', error), refusal)).toBeUndefined();
  });

  it('ignores refused client requests and stale refusals', () => {
    expect(applyReversalRefusal(state('CANCELLING'), { ...refusal, cause: 'request' })).toBeUndefined();
    expect(applyReversalRefusal(state('INVOICED', error), refusal)).toBeUndefined();
    expect(applyReversalRefusal(state('PARTIALLY_REVERSED'), refusal)).toBeUndefined();
    expect(applyReversalRefusal(state('REVERSED'), refusal)).toBeUndefined();
  });
});
