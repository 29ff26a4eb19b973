import { type Dec, readPlainDecimal } from './decimal';
import { describeType, expectBoolean, expectString, isRecord, printableName, show } from './input';
import { checkMoneyRange, formatMoney, readMoney, roundToFen } from './money';
import {
  atField,
  type DomainError,
  fail,
  failAll,
  ok,
  type Result,
  under,
  type ValidationFailure,
} from './result';
import { validateTaxCode } from './tax-code';
import { type RateTable, readTaxRate, resolveRateTable, type TaxRateOptions } from './tax-rate';
import { splitAmount } from './tax-split';

/** The most lines one fully digital e-invoice carries. */
export const MAX_LINES = 2000;

/** |quantity × unit price − amount| may not exceed one fen. */
export const LINE_AMOUNT_TOLERANCE = '0.01';

export type LineKind = 'normal' | 'discount';

export interface DraftLine {
  readonly name: string;
  /** 19-digit tax classification code. */
  readonly taxCode: string;
  /** Decimal strings; optional as a pair (services often have neither), checked against `amount` when both are given. */
  readonly quantity?: string;
  readonly unitPrice?: string;
  /** Two-place decimal; computed as round(quantity × unitPrice) when absent. Negative on discount lines only. */
  readonly amount?: string;
  readonly taxRate: string;
  /** Whether `unitPrice` and `amount` include tax. */
  readonly priceIncludesTax: boolean;
  readonly kind?: LineKind;
  /** Discount lines: index (0-based) of the line discounted, which must be the line just before. */
  readonly discountsLine?: number;
}

export interface ComputedLine {
  /** 1-based position on the invoice. */
  readonly lineNo: number;
  readonly name: string;
  readonly taxCode: string;
  readonly kind: LineKind;
  readonly quantity?: string;
  readonly unitPrice?: string;
  readonly amount: string;
  /** The rate table's label, e.g. "0.13" or "exempt". */
  readonly taxRate: string;
  readonly priceIncludesTax: boolean;
  readonly net: string;
  readonly tax: string;
  readonly gross: string;
}

// Sanity bounds for quantities and unit prices: far beyond real goods, and small enough to stay exact.
const MAX_FACTOR_INTEGER_DIGITS = 15;
const MAX_FACTOR_FRACTION_DIGITS = 15;

interface ReadLine {
  readonly line: ComputedLine;
  readonly amount: Dec;
}

interface Factor {
  readonly text: string;
  readonly value: Dec;
}

/**
 * Checks every line of a draft and separates price and tax on each. Reports every problem of every line,
 * with fields such as `lines[2].taxCode`; the first problem leads.
 */
export function validateLines(
  lines: readonly DraftLine[],
  options?: TaxRateOptions,
): Result<ComputedLine[], ValidationFailure> {
  const table = resolveRateTable(options);
  if (!table.ok) return failAll([table.error]);
  if (!Array.isArray(lines)) {
    return failAll([
      { code: 'INPUT.TYPE', message: `lines must be an array, got ${describeType(lines)}`, field: 'lines' },
    ]);
  }
  if (lines.length === 0) {
    return failAll([{ code: 'LINES.EMPTY', message: 'an invoice has at least one line', field: 'lines' }]);
  }
  if (lines.length > MAX_LINES) {
    const message = `an invoice has at most ${MAX_LINES} lines, got ${lines.length}`;
    return failAll([{ code: 'LINES.TOO_MANY', message, field: 'lines' }]);
  }

  const errors: DomainError[] = [];
  // Array.from visits the holes of a sparse array too, so none slips through unchecked.
  const read = Array.from(lines, (line, index) => {
    const result = readLine(line, index + 1, table.value);
    errors.push(...result.errors.map((error) => under(`lines[${index}]`, error)));
    return result.read;
  });
  for (const index of lines.keys()) {
    errors.push(...checkDiscount(lines, read, index).map((error) => under(`lines[${index}]`, error)));
  }
  if (errors.length > 0) return failAll(errors);
  return ok(read.map((entry) => (entry as ReadLine).line));
}

/** One line on its own: every field, then the amount against quantity × unit price, then the tax split. */
function readLine(
  raw: unknown,
  lineNo: number,
  table: RateTable,
): { read?: ReadLine; errors: DomainError[] } {
  if (!isRecord(raw)) {
    return {
      errors: [{ code: 'INPUT.TYPE', message: `a line must be an object, got ${describeType(raw)}` }],
    };
  }
  const fields = {
    name: printableName(raw.name, 'name'),
    taxCode: atField(validateTaxCode(raw.taxCode as string), 'taxCode'),
    rate: readTaxRate(raw.taxRate, table, 'taxRate'),
    priceIncludesTax: expectBoolean(raw.priceIncludesTax, 'priceIncludesTax'),
    kind: readKind(raw.kind),
    quantity: readFactor(raw.quantity, 'quantity'),
    unitPrice: readFactor(raw.unitPrice, 'unitPrice'),
    given: raw.amount === undefined ? ok(undefined) : readMoney(raw.amount, 'amount'),
  };
  const { name, taxCode, rate, priceIncludesTax, kind, quantity, unitPrice, given } = fields;
  if (
    !name.ok ||
    !taxCode.ok ||
    !rate.ok ||
    !priceIncludesTax.ok ||
    !kind.ok ||
    !quantity.ok ||
    !unitPrice.ok ||
    !given.ok
  ) {
    return { errors: Object.values(fields).flatMap((result) => (result.ok ? [] : [result.error])) };
  }
  const product = quantity.value && unitPrice.value && quantity.value.value.times(unitPrice.value.value);
  const amount = resolveAmount(given.value, product);
  if (!amount.ok) return { errors: [amount.error] };

  const errors: DomainError[] = [];
  if (kind.value === 'normal' ? !amount.value.gt(0) : !amount.value.lt(0)) {
    const sign = kind.value === 'normal' ? 'positive' : 'negative (a discount)';
    errors.push({
      code: 'LINE.AMOUNT_SIGN',
      message: `the amount of a ${kind.value} line must be ${sign}`,
      field: 'amount',
    });
  }
  if (product && product.minus(amount.value).abs().gt(LINE_AMOUNT_TOLERANCE)) {
    errors.push({
      code: 'LINE.AMOUNT_MISMATCH',
      message: `quantity × unit price is ${product.toFixed()}, more than ${LINE_AMOUNT_TOLERANCE} away from the amount ${formatMoney(amount.value)}`,
      field: 'amount',
    });
  }
  const split = splitAmount(amount.value, rate.value, priceIncludesTax.value);
  const line: ComputedLine = {
    lineNo,
    name: name.value,
    taxCode: taxCode.value.normalized,
    kind: kind.value,
    ...(quantity.value && { quantity: quantity.value.text }),
    ...(unitPrice.value && { unitPrice: unitPrice.value.text }),
    amount: formatMoney(amount.value),
    taxRate: rate.value.label,
    priceIncludesTax: priceIncludesTax.value,
    net: formatMoney(split.net),
    tax: formatMoney(split.tax),
    gross: formatMoney(split.gross),
  };
  return { read: { line, amount: amount.value }, errors };
}

function resolveAmount(given: Dec | undefined, product: Dec | undefined): Result<Dec> {
  if (given !== undefined) return ok(given);
  if (product !== undefined) return checkMoneyRange(roundToFen(product), 'amount', 'amount');
  return fail('INPUT.REQUIRED', 'amount is required unless quantity and unitPrice are both given', 'amount');
}

function readKind(value: unknown): Result<LineKind> {
  if (value === undefined) return ok('normal');
  return value === 'normal' || value === 'discount'
    ? ok(value)
    : fail('LINE.KIND', `kind must be "normal" or "discount", got ${show(value)}`, 'kind');
}

/** An optional quantity (> 0) or unit price, kept as given for the invoice and as a Dec for the arithmetic. */
function readFactor(value: unknown, field: 'quantity' | 'unitPrice'): Result<Factor | undefined> {
  if (value === undefined) return ok(undefined);
  const text = expectString(value, field, field);
  if (!text.ok) return text;
  const parsed = readPlainDecimal(text.value);
  const code = field === 'quantity' ? 'LINE.QUANTITY' : 'LINE.UNIT_PRICE';
  if (
    parsed === undefined ||
    parsed.integerDigits > MAX_FACTOR_INTEGER_DIGITS ||
    parsed.fractionDigits > MAX_FACTOR_FRACTION_DIGITS
  ) {
    const message = `${field} must be a plain decimal string with at most ${MAX_FACTOR_INTEGER_DIGITS} integer and ${MAX_FACTOR_FRACTION_DIGITS} decimal digits, got "${text.value}"`;
    return fail(code, message, field);
  }
  if (field === 'quantity' && (parsed.value.isNegative() || parsed.value.isZero())) {
    return fail(code, `quantity must be greater than zero, got "${text.value}"`, field);
  }
  return ok({ text: text.value, value: parsed.value });
}

/**
 * A discount line (折扣行) directly follows the normal line it discounts, with the same tax classification
 * code, rate and price basis, and takes off at most that line's amount.
 */
function checkDiscount(
  lines: readonly unknown[],
  read: readonly (ReadLine | undefined)[],
  index: number,
): DomainError[] {
  const raw = lines[index];
  if (!isRecord(raw)) return [];
  if (raw.kind !== 'discount') {
    return raw.discountsLine === undefined
      ? []
      : [
          {
            code: 'DISCOUNT.TARGET',
            message: 'discountsLine belongs on discount lines only',
            field: 'discountsLine',
          },
        ];
  }
  const previous = lines[index - 1];
  if (index === 0 || (isRecord(previous) && previous.kind === 'discount')) {
    return [
      {
        code: 'DISCOUNT.POSITION',
        message: 'a discount line directly follows the normal line it discounts',
        field: 'kind',
      },
    ];
  }
  if (raw.discountsLine !== undefined && raw.discountsLine !== index - 1) {
    const message = `a discount line discounts the line just before it: discountsLine must be ${index - 1}`;
    return [{ code: 'DISCOUNT.TARGET', message, field: 'discountsLine' }];
  }
  const [discount, discounted] = [read[index], read[index - 1]];
  if (discount === undefined || discounted === undefined) return [];
  const errors: DomainError[] = (['taxCode', 'taxRate', 'priceIncludesTax'] as const)
    .filter((field) => discount.line[field] !== discounted.line[field])
    .map((field) => ({
      code: 'DISCOUNT.MISMATCH',
      message: `${field} must equal that of the discounted line`,
      field,
    }));
  if (discount.amount.abs().gt(discounted.amount)) {
    const message = `the discount ${formatMoney(discount.amount.abs())} exceeds the discounted amount ${formatMoney(discounted.amount)}`;
    errors.push({ code: 'DISCOUNT.EXCEEDS_LINE', message, field: 'amount' });
  }
  return errors;
}
