import fc from 'fast-check';
import { Dec } from '../decimal';
import { type BlueLine, planReversal, type PreviousReversal, type ReversalInput } from './reversal';

const blue = {
  number: '25442000000012345678',
  lines: [
    { lineNo: 1, amount: '1000.00', tax: '130.00', quantity: '10' },
    { lineNo: 2, amount: '-100.00', tax: '-13.00' }, // discount on line 1
    { lineNo: 3, amount: '300.00', tax: '18.00' },
  ] as BlueLine[],
};

const plan = (input: Partial<ReversalInput>) =>
  planReversal({ blue, previousReversals: [], request: { kind: 'full' }, ...input });

function planned(input: Partial<ReversalInput>) {
  const result = plan(input);
  if (!result.ok) throw new Error(`${result.error.code} ${result.error.field}`);
  return result.value;
}

const codes = (input: Partial<ReversalInput>) => {
  const result = plan(input);
  return result.ok ? [] : result.error.errors.map((error) => [error.code, error.field]);
};

describe('planReversal', () => {
  it('reverses in full: every line negated, discount lines included', () => {
    expect(planned({})).toEqual({
      blueNumber: '25442000000012345678',
      kind: 'full',
      lines: [
        { lineNo: 1, amount: '-1000.00', tax: '-130.00', quantity: '-10' },
        { lineNo: 2, amount: '100.00', tax: '13.00' },
        { lineNo: 3, amount: '-300.00', tax: '-18.00' },
      ],
      totals: { amount: '-1200.00', tax: '-135.00', gross: '-1335.00' },
    });
  });

  it('never reverses in full twice, nor after a partial reversal', () => {
    const full = planned({});
    expect(codes({ previousReversals: [full] })).toEqual([
      ['REVERSAL.ALREADY_FULLY_REVERSED', 'request.kind'],
    ]);
    const partialRequest = { kind: 'partial' as const, lines: [{ lineNo: 3, amount: '1.00' }] };
    expect(codes({ previousReversals: [full], request: partialRequest })).toEqual([
      ['REVERSAL.ALREADY_FULLY_REVERSED', 'request.kind'],
    ]);
    const partial = planned({ request: partialRequest });
    expect(codes({ previousReversals: [partial] })).toEqual([
      ['REVERSAL.ALREADY_PARTIALLY_REVERSED', 'request.kind'],
    ]);
  });

  it('reverses part of a line with proportional tax, net of its discount', () => {
    expect(
      planned({
        request: {
          kind: 'partial',
          lines: [
            { lineNo: 1, amount: '450.00', quantity: '5' },
            { lineNo: 3, amount: '100.00' },
          ],
        },
      }),
    ).toEqual({
      blueNumber: '25442000000012345678',
      kind: 'partial',
      lines: [
        { lineNo: 1, amount: '-450.00', tax: '-58.50', quantity: '-5' },
        { lineNo: 3, amount: '-100.00', tax: '-6.00' },
      ],
      totals: { amount: '-550.00', tax: '-64.50', gross: '-614.50' },
    });
  });

  it('never exceeds what remains after earlier partial reversals', () => {
    const first = planned({
      request: { kind: 'partial', lines: [{ lineNo: 1, amount: '600.00', quantity: '6' }] },
    });
    expect(
      codes({
        previousReversals: [first],
        request: { kind: 'partial', lines: [{ lineNo: 1, amount: '300.01' }] },
      }),
    ).toEqual([['REVERSAL.EXCEEDS_REMAINING', 'request.lines[0].amount']]);
    expect(
      codes({
        previousReversals: [first],
        request: { kind: 'partial', lines: [{ lineNo: 1, amount: '1.00', quantity: '5' }] },
      }),
    ).toEqual([['REVERSAL.EXCEEDS_REMAINING', 'request.lines[0].quantity']]);
    expect(
      codes({ request: { kind: 'partial', lines: [{ lineNo: 3, amount: '1.00', quantity: '1' }] } }),
    ).toEqual([['REVERSAL.EXCEEDS_REMAINING', 'request.lines[0].quantity']]);
    const rest = planned({
      previousReversals: [first],
      request: { kind: 'partial', lines: [{ lineNo: 1, amount: '300.00' }] },
    });
    expect(rest.lines).toEqual([{ lineNo: 1, amount: '-300.00', tax: '-39.00' }]);
    expect(
      codes({
        previousReversals: [first, rest],
        request: { kind: 'partial', lines: [{ lineNo: 1, amount: '0.01' }] },
      }),
    ).toEqual([['REVERSAL.EXCEEDS_REMAINING', 'request.lines[0].amount']]);
  });

  it('names only existing, non-discount blue lines, once each, with positive amounts', () => {
    expect(
      codes({
        request: {
          kind: 'partial',
          lines: [
            { lineNo: 1, amount: '-1.00' },
            { lineNo: 0, amount: '1.001' },
          ],
        },
      }),
    ).toEqual([
      ['REVERSAL.AMOUNT_NOT_POSITIVE', 'request.lines[0].amount'],
      ['INPUT.TYPE', 'request.lines[1].lineNo'],
      ['MONEY.PRECISION', 'request.lines[1].amount'],
    ]);
    expect(
      codes({
        request: {
          kind: 'partial',
          lines: [
            { lineNo: 9, amount: '1.00' },
            { lineNo: 2, amount: '1.00' },
            { lineNo: 3, amount: '1.00' },
            { lineNo: 3, amount: '1.00' },
          ],
        },
      }),
    ).toEqual([
      ['REVERSAL.UNKNOWN_LINE', 'request.lines[0].lineNo'],
      ['REVERSAL.DISCOUNT_LINE', 'request.lines[1].lineNo'],
      ['REVERSAL.DUPLICATE_LINE', 'request.lines[3].lineNo'],
    ]);
    expect(codes({ request: { kind: 'partial', lines: [] } })).toEqual([['INPUT.REQUIRED', 'request.lines']]);
  });

  it('checks the blue invoice and the history it is given', () => {
    expect(codes({ blue: { number: 'x', lines: [] } })).toEqual([
      ['INVOICE_NUMBER.LENGTH', 'blue.number'],
      ['INPUT.REQUIRED', 'blue.lines'],
    ]);
    expect(codes({ blue: { ...blue, lines: [blue.lines[0], blue.lines[0]] } })).toEqual([
      ['REVERSAL.DUPLICATE_LINE', 'blue.lines[1].lineNo'],
    ]);
    expect(codes({ previousReversals: undefined })).toEqual([['INPUT.REQUIRED', 'previousReversals']]);
    const wrongSign: PreviousReversal = {
      kind: 'partial',
      lines: [{ lineNo: 3, amount: '10.00', tax: '0.60' }],
    };
    const unknown: PreviousReversal = {
      kind: 'partial',
      lines: [{ lineNo: 7, amount: '-10.00', tax: '-0.60' }],
    };
    const discount: PreviousReversal = {
      kind: 'partial',
      lines: [{ lineNo: 2, amount: '10.00', tax: '1.30' }],
    };
    expect(codes({ previousReversals: [wrongSign, unknown, discount, { kind: 'other' } as never] })).toEqual([
      ['REVERSAL.INVALID_PREVIOUS', 'previousReversals[0].lines[0].amount'],
      ['REVERSAL.UNKNOWN_LINE', 'previousReversals[1].lines[0].lineNo'],
      ['REVERSAL.INVALID_PREVIOUS', 'previousReversals[2].lines[0].lineNo'],
      ['INPUT.TYPE', 'previousReversals[3].kind'],
    ]);
    expect(codes({ request: { kind: 'some' } as never })).toEqual([['INPUT.TYPE', 'request.kind']]);
    expect(planReversal(null as never)).toMatchObject({ ok: false, error: { code: 'INPUT.TYPE' } });
  });

  it('lets partial reversals add up to the blue line exactly, never beyond', () => {
    const blueLine = fc.tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(13, 9, 6, 3, 0));
    fc.assert(
      fc.property(
        blueLine,
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 8 }),
        ([fen, percent], requests) => {
          const amount = new Dec(fen).div(100);
          const line = {
            lineNo: 1,
            amount: amount.toFixed(2),
            tax: amount.times(percent).div(100).toDecimalPlaces(2).toFixed(2),
          };
          const previousReversals: PreviousReversal[] = [];
          for (const requested of requests) {
            const result = planReversal({
              blue: { number: blue.number, lines: [line] },
              previousReversals,
              request: {
                kind: 'partial',
                lines: [{ lineNo: 1, amount: new Dec(requested).div(100).toFixed(2) }],
              },
            });
            if (result.ok) previousReversals.push(result.value);
            else expect(result.error.code).toBe('REVERSAL.EXCEEDS_REMAINING');
          }
          const reversedAmount = Dec.sum(0, ...previousReversals.map((r) => r.lines[0].amount)).neg();
          const reversedTax = Dec.sum(0, ...previousReversals.map((r) => r.lines[0].tax)).neg();
          expect(reversedAmount.lte(line.amount)).toBe(true);
          expect(reversedTax.lte(line.tax)).toBe(true);
          if (reversedAmount.eq(line.amount)) expect(reversedTax.eq(line.tax)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
