import type { Dec } from './decimal';
import { describeType, isRecord } from './input';
import { formatMoney, readMoney, roundToFen } from './money';
import { fail, ok, type Result } from './result';
import { readTaxRate, resolveRateTable, type TaxRate, type TaxRateOptions } from './tax-rate';

export interface TaxSplitInput {
  /** Gross (tax-inclusive) when `priceIncludesTax`, otherwise net. */
  readonly amount: string;
  /** A rate of the configured table: "0.13", … or "exempt". */
  readonly rate: string;
  readonly priceIncludesTax: boolean;
}

export interface TaxSplit {
  readonly net: string;
  readonly tax: string;
  readonly gross: string;
}

/**
 * Separates price and tax (价税分离). Tax-inclusive: net = round(gross ÷ (1 + rate)), tax = gross − net.
 * Tax-exclusive: tax = round(net × rate), gross = net + tax. Rounding is ROUND_HALF_UP to 0.01, and the
 * remainder always lands in the tax so that net + tax = gross exactly.
 */
export function splitTax(input: TaxSplitInput, options?: TaxRateOptions): Result<TaxSplit> {
  if (!isRecord(input)) {
    return fail('INPUT.TYPE', `the split input must be an object, got ${describeType(input)}`);
  }
  const table = resolveRateTable(options);
  if (!table.ok) return table;
  const amount = readMoney(input.amount, 'amount');
  if (!amount.ok) return amount;
  const rate = readTaxRate(input.rate, table.value, 'rate');
  if (!rate.ok) return rate;
  if (typeof input.priceIncludesTax !== 'boolean') {
    return fail('INPUT.TYPE', 'priceIncludesTax must be a boolean', 'priceIncludesTax');
  }
  const split = splitAmount(amount.value, rate.value, input.priceIncludesTax);
  return ok({ net: formatMoney(split.net), tax: formatMoney(split.tax), gross: formatMoney(split.gross) });
}

/** The arithmetic of `splitTax` on validated values, for callers that validate many lines themselves. */
export function splitAmount(
  amount: Dec,
  rate: TaxRate,
  priceIncludesTax: boolean,
): { net: Dec; tax: Dec; gross: Dec } {
  if (priceIncludesTax) {
    const net = roundToFen(amount.div(rate.value.plus(1)));
    return { net, tax: amount.minus(net), gross: amount };
  }
  const tax = roundToFen(amount.times(rate.value));
  return { net: amount, tax, gross: amount.plus(tax) };
}
