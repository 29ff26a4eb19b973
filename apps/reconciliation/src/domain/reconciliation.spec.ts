import { evaluate, netTotals, type Facts } from './reconciliation';

const issued: Facts = {
  status: 'PENDING',
  expectedGross: '1000.00',
  invoiceGross: '1000.00',
  authorityGross: '1000.00',
};
const red = (invoiceGross: string | null, authorityGross: string | null = invoiceGross) => ({
  invoiceGross,
  authorityGross,
});

describe('evaluate', () => {
  it('matches only when all three totals are known and equal', () => {
    const facts = { ...issued, authorityGross: null };
    expect(evaluate(facts)).toBeUndefined();
    expect(evaluate({ ...facts, authorityGross: '1000' })).toBe('MATCHED');
    expect(evaluate({ ...facts, authorityGross: '999.99' })).toBe('MISMATCH');
    expect(evaluate({ ...issued, expectedGross: '1000.01' })).toBe('MISMATCH');
    expect(evaluate({ ...issued, expectedGross: null })).toBeUndefined();
    expect(evaluate({ ...issued, invoiceGross: null, authorityGross: null })).toBeUndefined();
  });

  it('leaves rejected and cancelled orders alone', () => {
    const facts = { expectedGross: '1.00', invoiceGross: '1.00', authorityGross: '1.00' };
    expect(evaluate({ ...facts, status: 'REJECTED' })).toBeUndefined();
    expect(evaluate({ ...facts, status: 'CANCELLED' })).toBeUndefined();
  });

  it('judges again once matched or reversed (a later reversal changes the facts)', () => {
    for (const status of ['MATCHED', 'REVERSED', 'MISMATCH'] as const) {
      expect(evaluate({ ...issued, status })).toBe('MATCHED');
      expect(evaluate({ ...issued, status, reversals: [red('-1000.00')] })).toBe('REVERSED');
      expect(evaluate({ ...issued, status, reversals: [red('-1000.00', '-999.00')] })).toBe('MISMATCH');
    }
  });

  it('matches a partial reversal when both sides agree and something remains', () => {
    expect(evaluate({ ...issued, reversals: [red('-300.00')] })).toBe('MATCHED');
    expect(evaluate({ ...issued, reversals: [red('-300.00', '-300')] })).toBe('MATCHED');
    expect(evaluate({ ...issued, reversals: [red('-300.00'), red('-699.99')] })).toBe('MATCHED');
  });

  it('is REVERSED when the reds take back the whole blue invoice', () => {
    expect(evaluate({ ...issued, reversals: [red('-1000.00')] })).toBe('REVERSED');
    expect(evaluate({ ...issued, reversals: [red('-300.00'), red('-700.00')] })).toBe('REVERSED');
  });

  it('waits while a reversal lacks either side', () => {
    expect(evaluate({ ...issued, reversals: [red('-1000.00', null)] })).toBeUndefined();
    expect(evaluate({ ...issued, reversals: [red(null, '-1000.00')] })).toBeUndefined();
    expect(evaluate({ ...issued, reversals: [red('-300.00'), red('-700.00', null)] })).toBeUndefined();
    // ...but the blue invoice still has to be there first.
    expect(evaluate({ ...issued, authorityGross: null, reversals: [red('-300.00')] })).toBeUndefined();
  });

  it('flags a mismatch when the sides of a reversal differ, even while another waits', () => {
    expect(evaluate({ ...issued, reversals: [red('-300.00', '-300.01')] })).toBe('MISMATCH');
    expect(evaluate({ ...issued, reversals: [red('-300.00', '-299.00'), red('-700.00', null)] })).toBe(
      'MISMATCH',
    );
    expect(evaluate({ ...issued, expectedGross: '999.00', reversals: [red('-1.00', null)] })).toBe(
      'MISMATCH',
    );
  });

  it('flags a mismatch when more was reversed than invoiced', () => {
    expect(evaluate({ ...issued, reversals: [red('-600.00'), red('-600.00')] })).toBe('MISMATCH');
  });

  it('keeps a cancelled order waiting until nothing remains invoiced', () => {
    const cancelled = { ...issued, cancelled: true };
    expect(evaluate(cancelled)).toBeUndefined();
    expect(evaluate({ ...cancelled, reversals: [red('-300.00')] })).toBeUndefined();
    expect(evaluate({ ...cancelled, reversals: [red('-1000.00', null)] })).toBeUndefined();
    expect(evaluate({ ...cancelled, reversals: [red('-1000.00')] })).toBe('REVERSED');
    expect(evaluate({ ...cancelled, reversals: [red('-300.00'), red('-700.00')] })).toBe('REVERSED');
    expect(evaluate({ ...cancelled, reversals: [red('-1000.00', '-900.00')] })).toBe('MISMATCH');
  });
});

describe('netTotals', () => {
  it('sums blue and reds on each side from what has been reported', () => {
    expect(netTotals(issued)).toEqual({
      reversedGross: '0.00',
      netGross: '1000.00',
      authorityNetGross: '1000.00',
    });
    expect(netTotals({ ...issued, reversals: [red('-300.00'), red('-200.50', null)] })).toEqual({
      reversedGross: '-500.50',
      netGross: '499.50',
      authorityNetGross: '700.00',
    });
    expect(netTotals({ ...issued, authorityGross: null, reversals: [red('-1000.00')] })).toEqual({
      reversedGross: '-1000.00',
      netGross: '0.00',
      authorityNetGross: null,
    });
  });
});
