import { type DraftLine, MAX_LINES, validateLines } from './lines';

const goods: DraftLine = {
  name: '*计算机外部设备*键盘',
  taxCode: '1090511030000000000',
  quantity: '2',
  unitPrice: '56.50',
  taxRate: '0.13',
  priceIncludesTax: true,
};
const discount = (amount: string, extra: Partial<DraftLine> = {}): DraftLine => ({
  name: goods.name,
  taxCode: goods.taxCode,
  amount,
  taxRate: goods.taxRate,
  priceIncludesTax: goods.priceIncludesTax,
  kind: 'discount',
  ...extra,
});

const errorsOf = (lines: unknown) => {
  const result = validateLines(lines as DraftLine[]);
  if (result.ok) throw new Error('expected a failure');
  return result.error.errors.map((error) => [error.code, error.field]);
};

describe('validateLines', () => {
  it('computes the amount from quantity × unit price and separates the tax', () => {
    expect(validateLines([goods])).toEqual({
      ok: true,
      value: [
        {
          lineNo: 1,
          name: goods.name,
          taxCode: goods.taxCode,
          kind: 'normal',
          quantity: '2',
          unitPrice: '56.50',
          amount: '113.00',
          taxRate: '0.13',
          priceIncludesTax: true,
          net: '100.00',
          tax: '13.00',
          gross: '113.00',
        },
      ],
    });
  });

  it('accepts an amount within 0.01 of quantity × unit price, and lines without quantity or price', () => {
    const line = { ...goods, quantity: '3', unitPrice: '0.333333', amount: '1.00' };
    expect(validateLines([line])).toMatchObject({ ok: true, value: [{ amount: '1.00' }] });
    const service = {
      name: '*信息技术服务*运维',
      taxCode: '3040201010000000000',
      amount: '1060.00',
      taxRate: '0.06',
      priceIncludesTax: true,
    };
    expect(validateLines([service])).toMatchObject({ ok: true, value: [{ net: '1000.00', tax: '60.00' }] });
    expect(validateLines([{ ...goods, quantity: '3', unitPrice: '0.333333', amount: '1.02' }])).toMatchObject(
      {
        ok: false,
        error: { code: 'LINE.AMOUNT_MISMATCH', field: 'lines[0].amount' },
      },
    );
  });

  it('holds at most 2000 lines and at least one', () => {
    expect(validateLines(Array(MAX_LINES).fill(goods)).ok).toBe(true);
    expect(errorsOf(Array(MAX_LINES + 1).fill(goods))).toEqual([['LINES.TOO_MANY', 'lines']]);
    expect(errorsOf([])).toEqual([['LINES.EMPTY', 'lines']]);
    expect(errorsOf('lines')).toEqual([['INPUT.TYPE', 'lines']]);
    // eslint-disable-next-line no-sparse-arrays -- a hole must be reported like any other non-line
    expect(errorsOf([goods, , goods])).toEqual([['INPUT.TYPE', 'lines[1]']]);
  });

  it('reports every problem of every line', () => {
    expect(
      errorsOf([
        { ...goods, name: ' ', taxCode: '123', taxRate: '0.17' },
        { ...goods, quantity: '0', unitPrice: 'abc', kind: 'gift' },
        42,
        { ...goods, quantity: undefined, amount: undefined },
        { ...goods, amount: '-113.00', quantity: '-2' },
        { ...goods, priceIncludesTax: 'yes' },
      ]),
    ).toEqual([
      ['INPUT.REQUIRED', 'lines[0].name'],
      ['TAX_CODE.LENGTH', 'lines[0].taxCode'],
      ['TAX_RATE.NOT_IN_TABLE', 'lines[0].taxRate'],
      ['LINE.KIND', 'lines[1].kind'],
      ['LINE.QUANTITY', 'lines[1].quantity'],
      ['LINE.UNIT_PRICE', 'lines[1].unitPrice'],
      ['INPUT.TYPE', 'lines[2]'],
      ['INPUT.REQUIRED', 'lines[3].amount'],
      ['LINE.QUANTITY', 'lines[4].quantity'],
      ['INPUT.TYPE', 'lines[5].priceIncludesTax'],
    ]);
  });

  it('requires a positive amount on normal lines and a negative one on discount lines', () => {
    expect(errorsOf([{ ...goods, quantity: undefined, unitPrice: undefined, amount: '0.00' }])).toEqual([
      ['LINE.AMOUNT_SIGN', 'lines[0].amount'],
    ]);
    expect(errorsOf([goods, discount('10.00')])).toEqual([['LINE.AMOUNT_SIGN', 'lines[1].amount']]);
  });

  describe('discount lines', () => {
    it('follow the line they discount, with its code, rate and price basis', () => {
      const result = validateLines([goods, discount('-13.00', { discountsLine: 0 }), goods]);
      expect(result).toMatchObject({
        ok: true,
        value: [
          { net: '100.00' },
          { kind: 'discount', amount: '-13.00', net: '-11.50', tax: '-1.50', gross: '-13.00' },
          { lineNo: 3 },
        ],
      });
    });

    it('never come first, after another discount, or name another line', () => {
      expect(errorsOf([discount('-1.00')])).toEqual([['DISCOUNT.POSITION', 'lines[0].kind']]);
      expect(errorsOf([goods, discount('-1.00'), discount('-1.00')])).toEqual([
        ['DISCOUNT.POSITION', 'lines[2].kind'],
      ]);
      expect(errorsOf([goods, goods, discount('-1.00', { discountsLine: 0 })])).toEqual([
        ['DISCOUNT.TARGET', 'lines[2].discountsLine'],
      ]);
      expect(errorsOf([{ ...goods, discountsLine: 0 }])).toEqual([
        ['DISCOUNT.TARGET', 'lines[0].discountsLine'],
      ]);
    });

    it('match the discounted line and never exceed it', () => {
      expect(
        errorsOf([
          goods,
          discount('-1.00', { taxRate: '0.09', taxCode: '1010101020000000000', priceIncludesTax: false }),
        ]),
      ).toEqual([
        ['DISCOUNT.MISMATCH', 'lines[1].taxCode'],
        ['DISCOUNT.MISMATCH', 'lines[1].taxRate'],
        ['DISCOUNT.MISMATCH', 'lines[1].priceIncludesTax'],
      ]);
      expect(validateLines([goods, discount('-113.00')]).ok).toBe(true);
      expect(errorsOf([goods, discount('-113.01')])).toEqual([['DISCOUNT.EXCEEDS_LINE', 'lines[1].amount']]);
    });
  });
});
