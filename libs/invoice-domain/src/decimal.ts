import Decimal from 'decimal.js';

/**
 * The library's own Decimal constructor. 40 significant digits hold every sum, product and quotient of
 * amounts (at most 15 integer digits) and rates far beyond the fen, so the one rounding to 0.01 is the only
 * rounding that matters. A clone, so that a `Decimal.set()` elsewhere in the process cannot change results.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export interface PlainDecimal {
  readonly value: Dec;
  readonly integerDigits: number;
  readonly fractionDigits: number;
}

// Optional '-', no '+', no exponent, no leading zeros, no grouping: the only spelling that cannot be misread.
const PLAIN_DECIMAL = /^-?(0|[1-9]\d*)(?:\.(\d+))?$/;

/** Reads a plain decimal string such as `-1409.5`; undefined when the text is not one. */
export function readPlainDecimal(text: string): PlainDecimal | undefined {
  const match = PLAIN_DECIMAL.exec(text);
  if (match === null) return undefined;
  return { value: new Dec(text), integerDigits: match[1].length, fractionDigits: match[2]?.length ?? 0 };
}
