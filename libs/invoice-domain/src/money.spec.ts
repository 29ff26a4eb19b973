import { addMoney, compareMoney, isMoney, parseMoney, subtractMoney } from './money';

describe('money', () => {
  it('accepts plain decimals with at most two places and spells them with two', () => {
    expect(parseMoney('12.5')).toEqual({ ok: true, value: '12.50' });
    expect(parseMoney('0')).toEqual({ ok: true, value: '0.00' });
    expect(parseMoney('-0.00')).toEqual({ ok: true, value: '0.00' });
    expect(parseMoney('-1409.50')).toEqual({ ok: true, value: '-1409.50' });
    expect(parseMoney('999999999999999.99')).toEqual({ ok: true, value: '999999999999999.99' });
  });

  it.each([
    ['1.005', 'MONEY.PRECISION'],
    ['1e3', 'MONEY.FORMAT'],
    ['+1.00', 'MONEY.FORMAT'],
    ['01.00', 'MONEY.FORMAT'],
    ['.50', 'MONEY.FORMAT'],
    ['1,409.50', 'MONEY.FORMAT'],
    ['¥1.00', 'MONEY.FORMAT'],
    [' 1.00', 'MONEY.FORMAT'],
    ['', 'MONEY.FORMAT'],
    ['NaN', 'MONEY.FORMAT'],
    ['1000000000000000.00', 'MONEY.RANGE'],
    [1.5, 'INPUT.TYPE'],
    [null, 'INPUT.TYPE'],
    [undefined, 'INPUT.REQUIRED'],
  ])('refuses %p with %s', (input, code) => {
    const result = parseMoney(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
    expect(isMoney(input)).toBe(false);
  });

  it('adds, subtracts and compares exactly, where binary floats would not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(addMoney('0.10', '0.20')).toEqual({ ok: true, value: '0.30' });
    expect(addMoney()).toEqual({ ok: true, value: '0.00' });
    expect(addMoney('1.10', '2.2', '-3.30')).toEqual({ ok: true, value: '0.00' });
    expect(subtractMoney('113.00', '100.01')).toEqual({ ok: true, value: '12.99' });
    expect(compareMoney('1.5', '1.50')).toEqual({ ok: true, value: 0 });
    expect(compareMoney('-2.00', '1.00')).toEqual({ ok: true, value: -1 });
    expect(compareMoney('10.00', '9.99')).toEqual({ ok: true, value: 1 });
  });

  it('names the bad argument and refuses results out of range', () => {
    expect(addMoney('1.00', 'x')).toMatchObject({ ok: false, error: { code: 'MONEY.FORMAT', field: '[1]' } });
    expect(subtractMoney('1.00', '0.001')).toMatchObject({
      ok: false,
      error: { code: 'MONEY.PRECISION', field: 'subtrahend' },
    });
    expect(compareMoney(1 as unknown as string, '1.00')).toMatchObject({
      ok: false,
      error: { code: 'INPUT.TYPE', field: 'a' },
    });
    expect(addMoney('999999999999999.99', '0.01')).toMatchObject({
      ok: false,
      error: { code: 'MONEY.RANGE' },
    });
  });
});
