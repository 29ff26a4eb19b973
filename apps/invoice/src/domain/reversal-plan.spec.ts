import type { DomainError } from '@fapiao/contracts';
import { planInvoiceReversal, remainderScope, type BlueInvoice } from './reversal-plan';

const blue: BlueInvoice = {
  number: '26440000000000000001',
  lines: [
    { lineNo: 1, net: '1000.00', tax: '130.00', quantity: '10' },
    { lineNo: 2, net: '200.00', tax: '12.00', quantity: '2' },
  ],
};

const refusal = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('not refused');
};

describe('planInvoiceReversal', () => {
  it('reverses in full: every line negated', () => {
    const plan = planInvoiceReversal(blue, [], 'full', '01');
    expect(plan.kind).toBe('full');
    expect(plan.totals).toEqual({ amount: '-1200.00', tax: '-142.00', gross: '-1342.00' });
    expect(plan.lines).toEqual([
      { lineNo: 1, amount: '-1000.00', tax: '-130.00', quantity: '-10' },
      { lineNo: 2, amount: '-200.00', tax: '-12.00', quantity: '-2' },
    ]);
  });

  it('reverses part of a line with proportional tax', () => {
    const plan = planInvoiceReversal(blue, [], [{ lineNo: 1, amount: '250.00' }], '04');
    expect(plan).toMatchObject({
      kind: 'partial',
      totals: { amount: '-250.00', tax: '-32.50', gross: '-282.50' },
    });
  });

  it('refuses a second full reversal as a conflict with a stable code', () => {
    const first = planInvoiceReversal(blue, [], 'full', '02');
    const error = refusal(() => planInvoiceReversal(blue, [first], 'full', '02'));
    expect(error).toMatchObject({
      kind: 'conflict',
      code: 'REVERSAL.ALREADY_FULLY_REVERSED',
      field: 'lines',
    });
    expect(
      refusal(() => planInvoiceReversal(blue, [first], [{ lineNo: 2, amount: '1.00' }], '02')),
    ).toMatchObject({
      code: 'REVERSAL.ALREADY_FULLY_REVERSED',
    });
  });

  it('refuses a partial over-reversal naming the line, after earlier partial reversals', () => {
    const first = planInvoiceReversal(blue, [], [{ lineNo: 1, amount: '800.00' }], '02');
    const error = refusal(() => planInvoiceReversal(blue, [first], [{ lineNo: 1, amount: '200.01' }], '02'));
    expect(error).toMatchObject({
      kind: 'validation',
      code: 'REVERSAL.EXCEEDS_REMAINING',
      field: 'lines[0].amount',
    });
    expect(error.message).toContain('200.00 left');
    expect(planInvoiceReversal(blue, [first], [{ lineNo: 1, amount: '200.00' }], '02').totals.amount).toBe(
      '-200.00',
    );
    expect(refusal(() => planInvoiceReversal(blue, [first], 'full', '02')).code).toBe(
      'REVERSAL.ALREADY_PARTIALLY_REVERSED',
    );
  });

  it('refuses unknown lines, non-positive amounts and a partial reversal for reason 01', () => {
    expect(refusal(() => planInvoiceReversal(blue, [], [{ lineNo: 9, amount: '1.00' }], '02'))).toMatchObject(
      {
        code: 'REVERSAL.UNKNOWN_LINE',
        field: 'lines[0].lineNo',
      },
    );
    const amounts = refusal(() =>
      planInvoiceReversal(
        blue,
        [],
        [
          { lineNo: 1, amount: '-1.00' },
          { lineNo: 2, amount: '0.00' },
        ],
        '02',
      ),
    );
    expect(amounts.errors?.map((each) => each.field)).toEqual(['lines[0].amount', 'lines[1].amount']);
    expect(amounts.code).toBe('REVERSAL.AMOUNT_NOT_POSITIVE');
    expect(refusal(() => planInvoiceReversal(blue, [], [{ lineNo: 1, amount: '1.00' }], '01'))).toMatchObject(
      {
        code: 'REVERSAL.REASON_REQUIRES_FULL',
        field: 'reasonCode',
      },
    );
  });
});

describe('remainderScope', () => {
  it('is the whole invoice when nothing was reversed, nothing after a full reversal', () => {
    expect(remainderScope(blue, [])).toBe('full');
    expect(remainderScope(blue, [planInvoiceReversal(blue, [], 'full', '02')])).toBeNull();
  });

  it('is what partial reversals left on each line', () => {
    const first = planInvoiceReversal(blue, [], [{ lineNo: 1, amount: '999.99' }], '02');
    const second = planInvoiceReversal(blue, [first], [{ lineNo: 2, amount: '200.00' }], '02');
    expect(remainderScope(blue, [first, second])).toEqual([{ lineNo: 1, amount: '0.01' }]);
    const last = planInvoiceReversal(blue, [first, second], [{ lineNo: 1, amount: '0.01' }], '02');
    expect(remainderScope(blue, [first, second, last])).toBeNull();
  });
});
