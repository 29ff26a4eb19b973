import { Reversal, type ReversalRequest } from './reversal';

const request: ReversalRequest = {
  tenantId: 't',
  invoiceId: 'i',
  scope: [{ lineNo: 1, amount: '500.00' }],
  reasonCode: '02',
  cause: 'request',
};
const plan = {
  blueNumber: 'B',
  kind: 'partial' as const,
  lines: [{ lineNo: 1, amount: '-500.00', tax: '-30.00' }],
  totals: { amount: '-500.00', tax: '-30.00', gross: '-530.00' },
};
const requested = () => Reversal.request('0193a6f0-0000-7000-8000-00000000000a', request, plan, new Date());
const red = {
  number: 'R1',
  totals: { net: '-500.00', tax: '-30.00', gross: '-530.00' },
  issuedAt: new Date(),
  fileRef: 'f',
};

describe('Reversal', () => {
  it('is requested with its plan and serials derived from its id', () => {
    expect(requested().snapshot()).toMatchObject({
      status: 'REQUESTED',
      kind: 'partial',
      planned: { net: '-500.00', tax: '-30.00', gross: '-530.00' },
      formSerial: 'RF0193A6F000007000800000000000000A',
      redSerial: 'RI0193A6F000007000800000000000000A',
    });
  });

  it('moves REQUESTED → AWAITING_CONFIRMATION → REVERSED, and ignores stale or repeated events', () => {
    const reversal = requested();
    expect(reversal.formRaised('F1', null)).toBe(true);
    expect(reversal.formRaised('F1', null)).toBe(false);
    expect(reversal.reversed('F1', red)).toBe(true);
    expect(reversal.reversed('F1', red)).toBe(false);
    expect(reversal.refused({ code: 'X', message: 'late' })).toBe(false);
    expect(reversal.snapshot()).toMatchObject({ status: 'REVERSED', red });
  });

  it('is refused only while pending', () => {
    const reversal = requested();
    expect(reversal.refused({ code: 'BUYER.DECLINED', message: 'no' })).toBe(true);
    expect(reversal.pending).toBe(false);
    expect(reversal.reversed('F1', red)).toBe(false);
  });

  it('answers a replay only for the same request', () => {
    const reversal = requested();
    expect(reversal.sameRequest('i', '02', [{ lineNo: 1, amount: '500.00' }])).toBe(true);
    expect(reversal.sameRequest('i', '02', 'full')).toBe(false);
    expect(reversal.sameRequest('i', '03', [{ lineNo: 1, amount: '500.00' }])).toBe(false);
  });
});
