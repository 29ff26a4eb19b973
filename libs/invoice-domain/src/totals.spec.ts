import fc from 'fast-check';
import { computeInvoiceTotals, type TotalsLine } from './totals';

const fen = (value: bigint): string => {
  const magnitude = (value < 0n ? -value : value).toString().padStart(3, '0');
  return `${value < 0n ? '-' : ''}${magnitude.slice(0, -2)}.${magnitude.slice(-2)}`;
};

describe('computeInvoiceTotals', () => {
  it('sums lines and the differences to net × rate', () => {
    const lines: TotalsLine[] = [
      { net: '100.00', tax: '13.00', taxRate: '0.13' },
      { net: '0.88', tax: '0.12', taxRate: '0.13' }, // 1.00 tax-inclusive: round(0.88 × 0.13) = 0.11
      { net: '50.00', tax: '0.00', taxRate: 'exempt' },
    ];
    expect(computeInvoiceTotals(lines)).toEqual({
      ok: true,
      value: { net: '150.88', tax: '13.12', gross: '164.00', taxDifference: '0.01' },
    });
    expect(computeInvoiceTotals([])).toEqual({
      ok: true,
      value: { net: '0.00', tax: '0.00', gross: '0.00', taxDifference: '0.00' },
    });
  });

  it('accepts a line difference of 0.06 and names each line beyond it', () => {
    expect(computeInvoiceTotals([{ net: '100.00', tax: '13.06', taxRate: '0.13' }]).ok).toBe(true);
    const result = computeInvoiceTotals([
      { net: '100.00', tax: '13.07', taxRate: '0.13' },
      { net: '100.00', tax: '13.00', taxRate: '0.13' },
      { net: '100.00', tax: '12.90', taxRate: '0.13' },
    ]);
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'TOTALS.LINE_TAX_TOLERANCE',
        field: 'lines[0].tax',
        errors: [
          { code: 'TOTALS.LINE_TAX_TOLERANCE', field: 'lines[0].tax' },
          { code: 'TOTALS.LINE_TAX_TOLERANCE', field: 'lines[2].tax' },
        ],
      },
    });
    if (!result.ok) expect(result.error.message).toContain('line 1');
  });

  it('bounds the summed differences by 1.27', () => {
    const line = { net: '100.00', tax: '13.05', taxRate: '0.13' };
    expect(computeInvoiceTotals(Array(25).fill(line))).toMatchObject({
      ok: true,
      value: { taxDifference: '1.25' },
    });
    expect(computeInvoiceTotals(Array(26).fill(line))).toMatchObject({
      ok: false,
      error: {
        code: 'TOTALS.INVOICE_TAX_TOLERANCE',
        field: 'lines',
        errors: [{ code: 'TOTALS.INVOICE_TAX_TOLERANCE' }],
      },
    });
    // Differences of opposite sign offset each other.
    const mixed = [...Array(26).fill(line), ...Array(26).fill({ ...line, tax: '12.95' })];
    expect(computeInvoiceTotals(mixed)).toMatchObject({ ok: true, value: { taxDifference: '0.00' } });
  });

  it('takes both tolerances from configuration', () => {
    const line = { net: '100.00', tax: '13.05', taxRate: '0.13' };
    expect(computeInvoiceTotals([line], { lineTolerance: '0.01' })).toMatchObject({
      ok: false,
      error: { code: 'TOTALS.LINE_TAX_TOLERANCE' },
    });
    expect(computeInvoiceTotals([line, line], { invoiceTolerance: '0.09' })).toMatchObject({
      ok: false,
      error: { code: 'TOTALS.INVOICE_TAX_TOLERANCE' },
    });
    expect(computeInvoiceTotals([line], { lineTolerance: '-1' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIG.INVALID', field: 'lineTolerance' },
    });
    expect(computeInvoiceTotals([line], { invoiceTolerance: 'lots' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIG.INVALID', field: 'invoiceTolerance' },
    });
  });

  it('reports every unreadable line with its field', () => {
    const result = computeInvoiceTotals([
      { net: '1.001', tax: '0.13', taxRate: '0.13' },
      'line' as never,
      { net: '1.00', tax: '0.13', taxRate: '13%' },
    ]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.errors.map((error) => [error.code, error.field])).toEqual([
        ['MONEY.PRECISION', 'lines[0].net'],
        ['INPUT.TYPE', 'lines[1]'],
        ['TAX_RATE.FORMAT', 'lines[2].taxRate'],
      ]);
    }
    expect(computeInvoiceTotals({} as never)).toMatchObject({
      ok: false,
      error: { code: 'INPUT.TYPE', field: 'lines' },
    });
  });

  it('does not depend on line order', () => {
    const line = fc
      .tuple(
        fc.bigInt({ min: -10_000_000n, max: 100_000_000n }),
        fc.constantFrom('0.13', '0.09', '0.06', '0.03', 'exempt'),
        fc.integer({ min: -8, max: 8 }),
      )
      .map(([net, taxRate, delta]): TotalsLine => {
        const rate = taxRate === 'exempt' ? 0n : BigInt(Math.round(Number(taxRate) * 100));
        const exact = net * rate; // in 1/100 fen
        const rounded = (exact >= 0n ? exact + 50n : exact - 50n) / 100n;
        return { net: fen(net), tax: fen(rounded + BigInt(delta)), taxRate };
      });
    fc.assert(
      fc.property(
        fc
          .array(line, { maxLength: 60 })
          .chain((lines) =>
            fc.tuple(fc.constant(lines), fc.shuffledSubarray(lines, { minLength: lines.length })),
          ),
        ([lines, shuffled]) => {
          const [a, b] = [computeInvoiceTotals(lines), computeInvoiceTotals(shuffled)];
          expect(a.ok).toBe(b.ok);
          if (a.ok && b.ok) expect(a.value).toEqual(b.value);
          if (!a.ok && !b.ok)
            expect(a.error.errors.map((e) => e.code).sort()).toEqual(
              b.error.errors.map((e) => e.code).sort(),
            );
        },
      ),
      { numRuns: 300 },
    );
  });
});
