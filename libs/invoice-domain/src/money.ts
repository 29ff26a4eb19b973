import { Dec, readPlainDecimal } from './decimal';
import { expectString } from './input';
import { fail, ok, type Result } from './result';

/** Amounts have at most 15 integer digits: far above any invoice, and exact within `Dec`'s precision. */
export const MAX_MONEY_INTEGER_DIGITS = 15;

const FEN_LIMIT = new Dec(10).pow(MAX_MONEY_INTEGER_DIGITS);

/** Reads an amount given as a decimal string with at most two places. */
export function readMoney(value: unknown, field?: string, what = 'amount'): Result<Dec> {
  const text = expectString(value, what, field);
  if (!text.ok) return text;
  const parsed = readPlainDecimal(text.value);
  if (parsed === undefined) {
    return fail(
      'MONEY.FORMAT',
      `${what} must be a plain decimal string such as "1409.50", got "${text.value}"`,
      field,
    );
  }
  if (parsed.fractionDigits > 2) {
    return fail('MONEY.PRECISION', `${what} has more than two decimal places: "${text.value}"`, field);
  }
  return checkMoneyRange(parsed.value, field, what);
}

/** Amounts computed rather than read (sums, products) must stay in range too. */
export function checkMoneyRange(amount: Dec, field: string | undefined, what: string): Result<Dec> {
  return amount.abs().lt(FEN_LIMIT)
    ? ok(amount)
    : fail('MONEY.RANGE', `${what} must have at most ${MAX_MONEY_INTEGER_DIGITS} integer digits`, field);
}

/** ROUND_HALF_UP to the fen; decimal.js rounds ties away from zero, so red-letter amounts mirror blue ones. */
export const roundToFen = (amount: Dec): Dec => amount.toDecimalPlaces(2, Dec.ROUND_HALF_UP);

/** The canonical spelling of an amount: two places, never "-0.00". */
export const formatMoney = (amount: Dec): string => (amount.isZero() ? '0.00' : amount.toFixed(2));

export const isMoney = (value: unknown): value is string => readMoney(value).ok;

/** Validates an amount and returns its canonical two-place spelling ("12.5" → "12.50"). */
export function parseMoney(value: unknown): Result<string> {
  const amount = readMoney(value);
  return amount.ok ? ok(formatMoney(amount.value)) : amount;
}

export function addMoney(...amounts: readonly string[]): Result<string> {
  let sum = new Dec(0);
  for (const [index, value] of amounts.entries()) {
    const amount = readMoney(value, `[${index}]`);
    if (!amount.ok) return amount;
    sum = sum.plus(amount.value);
  }
  return moneyResult(sum);
}

export function subtractMoney(minuend: string, subtrahend: string): Result<string> {
  const a = readMoney(minuend, 'minuend');
  if (!a.ok) return a;
  const b = readMoney(subtrahend, 'subtrahend');
  if (!b.ok) return b;
  return moneyResult(a.value.minus(b.value));
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`; "1.5" equals "1.50". */
export function compareMoney(a: string, b: string): Result<-1 | 0 | 1> {
  const left = readMoney(a, 'a');
  if (!left.ok) return left;
  const right = readMoney(b, 'b');
  if (!right.ok) return right;
  return ok(left.value.comparedTo(right.value) as -1 | 0 | 1);
}

function moneyResult(amount: Dec): Result<string> {
  const checked = checkMoneyRange(amount, undefined, 'result');
  return checked.ok ? ok(formatMoney(checked.value)) : checked;
}
