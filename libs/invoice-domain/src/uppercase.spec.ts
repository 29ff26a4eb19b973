import fc from 'fast-check';
import { amountToChineseUppercase } from './uppercase';

const words = (amount: string, unit?: '元' | '圆'): string => {
  const result = amountToChineseUppercase(amount, unit && { unit });
  if (!result.ok) throw new Error(`${amount}: ${result.error.code}`);
  return result.value;
};

/** Reads capital-numeral words back to a two-place amount; written for the test, ignores every 零. */
function readBack(text: string): string {
  const negative = text.startsWith('（负数）');
  const body = negative ? text.slice('（负数）'.length) : text;
  const [integerPart, fractionPart] = /[元圆]/.test(body) ? body.split(/[元圆]/) : ['', body];
  const numerals = '零壹贰叁肆伍陆柒捌玖';
  const places: Record<string, bigint> = { 拾: 10n, 佰: 100n, 仟: 1000n };
  let [total, section, digit] = [0n, 0n, 0n];
  for (const char of integerPart) {
    if (numerals.includes(char)) digit = BigInt(numerals.indexOf(char));
    else if (char in places) [section, digit] = [section + digit * places[char], 0n];
    else if (char === '亿') [total, section, digit] = [(total + section + digit) * 100_000_000n, 0n, 0n];
    else if (char === '万') [total, section, digit] = [total + (section + digit) * 10_000n, 0n, 0n];
    else throw new Error(`unexpected ${char} in ${text}`);
  }
  total += section + digit;
  const jiao = /(.)角/.exec(fractionPart)?.[1];
  const fen = /(.)分/.exec(fractionPart)?.[1];
  const fraction = `${jiao ? numerals.indexOf(jiao) : 0}${fen ? numerals.indexOf(fen) : 0}`;
  return `${negative ? '-' : ''}${total}.${fraction}`;
}

/** Amounts rich in zeros, where the zero rules matter, up to 千亿. */
const amounts = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.constantFrom('0', '0', '0', '1', '2', '7', '9'), { minLength: 1, maxLength: 12 }),
    fc.constantFrom('00', '05', '50', '55', '01', '10'),
  )
  .map(([negative, digits, fraction]) => {
    const integer = digits.join('').replace(/^0+(?=\d)/, '');
    const amount = `${integer}.${fraction}`;
    return negative && amount !== '0.00' ? `-${amount}` : amount;
  });

describe('amountToChineseUppercase', () => {
  it.each([
    // 银发〔1997〕393号 appendix 1, the examples of its rules on zeros (first form given).
    ['1409.50', '壹仟肆佰零玖元伍角'],
    ['6007.14', '陆仟零柒元壹角肆分'],
    ['1680.32', '壹仟陆佰捌拾元零叁角贰分'],
    ['107000.53', '壹拾万柒仟元零伍角叁分'],
    ['16409.02', '壹万陆仟肆佰零玖元零贰分'],
    ['325.04', '叁佰贰拾伍元零肆分'],
    // 整 after 元, and 壹拾 for amounts beginning with ten.
    ['10.00', '壹拾元整'],
    ['10', '壹拾元整'],
    ['15.00', '壹拾伍元整'],
    ['110.00', '壹佰壹拾元整'],
    ['100010.00', '壹拾万零壹拾元整'],
    // Zeros inside and between 万/亿 groups.
    ['10001000.00', '壹仟万壹仟元整'],
    ['100001000.00', '壹亿零壹仟元整'],
    ['100000001.00', '壹亿零壹元整'],
    ['101000000.00', '壹亿零壹佰万元整'],
    ['1000000000.10', '壹拾亿元零壹角'],
    ['1000000.00', '壹佰万元整'],
    ['999999999999.99', '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    // Below one yuan, and zero.
    ['0.50', '伍角'],
    ['0.05', '伍分'],
    ['0.55', '伍角伍分'],
    ['0.00', '零元整'],
    ['-0.00', '零元整'],
    ['1.50', '壹元伍角'],
    // Red-letter amounts.
    ['-1409.50', '（负数）壹仟肆佰零玖元伍角'],
    ['-0.01', '（负数）壹分'],
  ])('%s → %s', (amount, expected) => {
    expect(words(amount)).toBe(expected);
  });

  it('writes 圆 when asked', () => {
    expect(words('113.00', '圆')).toBe('壹佰壹拾叁圆整');
    expect(words('1680.32', '圆')).toBe('壹仟陆佰捌拾圆零叁角贰分');
  });

  it.each([
    ['1.005', 'MONEY.PRECISION'],
    ['1e3', 'MONEY.FORMAT'],
    ['１２', 'MONEY.FORMAT'],
    ['1000000000000.00', 'UPPERCASE.RANGE'],
    [12, 'INPUT.TYPE'],
  ])('refuses %p with %s', (amount, code) => {
    expect(amountToChineseUppercase(amount as string)).toMatchObject({ ok: false, error: { code } });
  });

  it('refuses an unknown unit', () => {
    const result = amountToChineseUppercase('1.00', { unit: '块' as '元' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFIG.INVALID', field: 'unit' } });
  });

  it('reads back to the same amount', () => {
    fc.assert(
      fc.property(amounts, (amount) => {
        expect(readBack(words(amount))).toBe(amount);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -99_999_999_999_999n, max: 99_999_999_999_999n }), (fen) => {
        const sign = fen < 0n ? '-' : '';
        const magnitude = (fen < 0n ? -fen : fen).toString().padStart(3, '0');
        const amount = `${sign}${magnitude.slice(0, -2)}.${magnitude.slice(-2)}`;
        expect(readBack(words(amount))).toBe(amount);
      }),
      { numRuns: 300 },
    );
  });

  it('places zeros the way the rules allow', () => {
    fc.assert(
      fc.property(amounts, (amount) => {
        const text = words(amount).replace('（负数）', '');
        if (amount.endsWith('0.00') && Number(amount) === 0) return expect(text).toBe('零元整');
        expect(text).not.toMatch(/零零/);
        expect(text).not.toMatch(/零[拾佰仟万亿元角分整]/);
        expect(text).not.toMatch(/^零/);
        expect(text).not.toMatch(/(^|[^壹贰叁肆伍陆柒捌玖])[拾佰仟]/);
        expect(text).toMatch(/(整|角|分)$/);
        expect(text.includes('整')).toBe(/\.00$/.test(amount));
      }),
      { numRuns: 500 },
    );
  });
});
