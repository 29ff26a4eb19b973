import { evaluate } from './reconciliation';

const equal = (a: string, b: string) => Number(a).toFixed(2) === Number(b).toFixed(2);

describe('evaluate', () => {
  it('matches only when all three totals are known and equal', () => {
    const facts = {
      status: 'PENDING' as const,
      expectedGross: '1000.00',
      invoiceGross: '1000.00',
      authorityGross: null,
    };
    expect(evaluate(facts, equal)).toBeUndefined();
    expect(evaluate({ ...facts, authorityGross: '1000' }, equal)).toBe('MATCHED');
    expect(evaluate({ ...facts, authorityGross: '999.99' }, equal)).toBe('MISMATCH');
  });

  it('leaves rejected and cancelled orders alone', () => {
    const facts = { expectedGross: '1.00', invoiceGross: '1.00', authorityGross: '1.00' };
    expect(evaluate({ ...facts, status: 'REJECTED' }, equal)).toBeUndefined();
    expect(evaluate({ ...facts, status: 'CANCELLED' }, equal)).toBeUndefined();
  });
});
