import fc from 'fast-check';
import { Dec } from './decimal';
import { splitTax } from './tax-split';

const split = (amount: string, rate: string, priceIncludesTax: boolean) => {
  const result = splitTax({ amount, rate, priceIncludesTax });
  if (!result.ok) throw new Error(`${amount} @ ${rate}: ${result.error.code}`);
  return result.value;
};

const fenToAmount = (fen: bigint): string => {
  const magnitude = (fen < 0n ? -fen : fen).toString().padStart(3, '0');
  return `${fen < 0n ? '-' : ''}${magnitude.slice(0, -2)}.${magnitude.slice(-2)}`;
};
const amounts = fc.bigInt({ min: -99_999_999_999_999n, max: 99_999_999_999_999n }).map(fenToAmount);
const rates = fc.constantFrom('0.13', '0.09', '0.06', '0.05', '0.03', '0.01', '0', 'exempt');

describe('splitTax', () => {
  it.each([
    // Tax-inclusive: net = round(gross ÷ (1 + rate)), tax = gross − net.
    ['113.00', '0.13', true, { net: '100.00', tax: '13.00', gross: '113.00' }],
    ['1.00', '0.13', true, { net: '0.88', tax: '0.12', gross: '1.00' }],
    ['10.00', '0.06', true, { net: '9.43', tax: '0.57', gross: '10.00' }],
    ['109.00', '0.09', true, { net: '100.00', tax: '9.00', gross: '109.00' }],
    ['-113.00', '0.13', true, { net: '-100.00', tax: '-13.00', gross: '-113.00' }],
    // Tax-exclusive: tax = round(net × rate), ROUND_HALF_UP.
    ['100.00', '0.13', false, { net: '100.00', tax: '13.00', gross: '113.00' }],
    ['0.50', '0.09', false, { net: '0.50', tax: '0.05', gross: '0.55' }],
    ['0.50', '0.01', false, { net: '0.50', tax: '0.01', gross: '0.51' }],
    ['0.49', '0.01', false, { net: '0.49', tax: '0.00', gross: '0.49' }],
    ['-0.50', '0.09', false, { net: '-0.50', tax: '-0.05', gross: '-0.55' }],
    ['12345.67', '0.06', false, { net: '12345.67', tax: '740.74', gross: '13086.41' }],
    // Zero rate and exemption: no tax.
    ['100.00', '0', true, { net: '100.00', tax: '0.00', gross: '100.00' }],
    ['100.00', 'exempt', false, { net: '100.00', tax: '0.00', gross: '100.00' }],
    ['88', 'exempt', true, { net: '88.00', tax: '0.00', gross: '88.00' }],
  ])('%s at %s (inclusive: %s)', (amount, rate, inclusive, expected) => {
    expect(split(amount, rate, inclusive)).toEqual(expected);
  });

  it.each([
    [{ amount: '1.001', rate: '0.13', priceIncludesTax: true }, 'MONEY.PRECISION', 'amount'],
    [{ amount: '1.00', rate: '0.17', priceIncludesTax: true }, 'TAX_RATE.NOT_IN_TABLE', 'rate'],
    [{ amount: '1.00', rate: '0.13', priceIncludesTax: 'yes' }, 'INPUT.TYPE', 'priceIncludesTax'],
    [{ amount: '1.00', rate: '0.13' }, 'INPUT.TYPE', 'priceIncludesTax'],
    [{ amount: 1, rate: '0.13', priceIncludesTax: true }, 'INPUT.TYPE', 'amount'],
  ])('refuses %p with %s', (input, code, field) => {
    expect(splitTax(input as never)).toMatchObject({ ok: false, error: { code, field } });
  });

  it('refuses a non-object input', () => {
    expect(splitTax(null as never)).toMatchObject({ ok: false, error: { code: 'INPUT.TYPE' } });
  });

  it('uses the configured rate table', () => {
    expect(splitTax({ amount: '117.00', rate: '0.17', priceIncludesTax: true }, { rates: ['0.17'] })).toEqual(
      {
        ok: true,
        value: { net: '100.00', tax: '17.00', gross: '117.00' },
      },
    );
  });

  it('always has net + tax = gross, the input on its side, and mirrors negative amounts', () => {
    fc.assert(
      fc.property(amounts, rates, fc.boolean(), (amount, rate, inclusive) => {
        const { net, tax, gross } = split(amount, rate, inclusive);
        expect(new Dec(net).plus(tax).eq(gross)).toBe(true);
        expect(new Dec(inclusive ? gross : net).eq(amount)).toBe(true);
        const mirrored = split(new Dec(amount).neg().toFixed(2), rate, inclusive);
        expect(
          [mirrored.net, mirrored.tax, mirrored.gross].map((value) => new Dec(value).neg().toFixed(2)),
        ).toEqual([net, tax, gross].map((value) => new Dec(value).toFixed(2)));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps inclusive tax within one fen of round(net × rate)', () => {
    fc.assert(
      fc.property(amounts, rates, (amount, rate) => {
        const { net, tax } = split(amount, rate, true);
        const expected = new Dec(net)
          .times(rate === 'exempt' ? 0 : rate)
          .toDecimalPlaces(2, Dec.ROUND_HALF_UP);
        expect(new Dec(tax).minus(expected).abs().lte('0.01')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
