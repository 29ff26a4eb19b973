import { readMoney } from './money';
import { fail, ok, type Result } from './result';

export type UppercaseUnit = '元' | '圆';

export interface UppercaseOptions {
  /** 元 (the default, as in the PBoC examples) or 圆: the rules allow both. */
  readonly unit?: UppercaseUnit;
}

/** 千亿 is the highest place written: amounts up to 999999999999.99. */
export const MAX_UPPERCASE_INTEGER_DIGITS = 12;

const NUMERALS = '零壹贰叁肆伍陆柒捌玖';
const PLACES = ['', '拾', '佰', '仟'];
const GROUP_UNITS = ['', '万', '亿'];
const NEGATIVE_PREFIX = '（负数）';

/**
 * Writes an amount in capital Chinese numerals per the People's Bank of China rules (银发〔1997〕393号,
 * appendix 1), in the first form each of its examples gives. README.md ("Amount in words") states the
 * zero rule this implements.
 */
export function amountToChineseUppercase(amount: string, options: UppercaseOptions = {}): Result<string> {
  const unit = options?.unit ?? '元';
  if (unit !== '元' && unit !== '圆') return fail('CONFIG.INVALID', 'unit must be 元 or 圆', 'unit');
  const parsed = readMoney(amount);
  if (!parsed.ok) return parsed;
  const [integer, fraction] = parsed.value.abs().toFixed(2).split('.');
  if (integer.length > MAX_UPPERCASE_INTEGER_DIGITS) {
    return fail('UPPERCASE.RANGE', 'amounts in words are written up to 999999999999.99');
  }
  const words =
    integer === '0' ? fractionWords(fraction) || `零${unit}整` : wholeAmountWords(integer, fraction, unit);
  return ok(parsed.value.isZero() || !parsed.value.isNegative() ? words : NEGATIVE_PREFIX + words);
}

/**
 * One 零 stands for each run of zeros between two written digits, except the trailing zeros of a 亿/万
 * group when the next group's 仟 digit is written (壹拾万柒仟, not 壹拾万零柒仟); a run that spans a whole
 * group keeps its 零 (壹亿零壹仟). This is how the numbers are read aloud, so it cannot be misread.
 */
function integerWords(integer: string): string {
  let words = '';
  let zeros = 0;
  let groupHasDigit = false;
  for (const [index, char] of [...integer].entries()) {
    const fromRight = integer.length - 1 - index;
    const place = fromRight % 4;
    const digit = Number(char);
    if (digit === 0) {
      zeros += 1;
    } else {
      if (zeros > 0 && !(place === 3 && zeros < 4)) words += '零';
      words += NUMERALS[digit] + PLACES[place];
      zeros = 0;
      groupHasDigit = true;
    }
    if (place === 0) {
      if (groupHasDigit) words += GROUP_UNITS[fromRight / 4];
      groupHasDigit = false;
    }
  }
  return words;
}

/**
 * After the unit: 整 when there is no 角 or 分; otherwise 零 first when the 元 digit or the 角 digit is zero
 * (rules 3 and 4: 壹仟陆佰捌拾元零叁角贰分, 壹万陆仟肆佰零玖元零贰分). No 整 after 角.
 */
function wholeAmountWords(integer: string, fraction: string, unit: UppercaseUnit): string {
  const tail = fractionWords(fraction);
  if (tail === '') return `${integerWords(integer)}${unit}整`;
  const zero = integer.endsWith('0') || fraction.startsWith('0') ? '零' : '';
  return integerWords(integer) + unit + zero + tail;
}

/** 角 and 分 without any leading 零; '' when both are zero. */
function fractionWords(fraction: string): string {
  const [jiao, fen] = [Number(fraction[0]), Number(fraction[1])];
  return (jiao === 0 ? '' : `${NUMERALS[jiao]}角`) + (fen === 0 ? '' : `${NUMERALS[fen]}分`);
}
