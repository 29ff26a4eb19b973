import { Dec, readPlainDecimal } from '../decimal';
import { describeType, isRecord, show } from '../input';
import { parseInvoiceNumber } from '../invoice-number';
import { formatMoney, readMoney, roundToFen } from '../money';
import { atField, type DomainError, fail, failAll, ok, type Result, type ValidationFailure } from '../result';

export interface BlueLine {
  /** Position on the blue invoice, 1-based. */
  readonly lineNo: number;
  /** Net amount; negative on a discount line, which follows the line it discounts. */
  readonly amount: string;
  readonly tax: string;
  readonly quantity?: string;
}

/** A line of a red-letter invoice: the blue line's figures with the opposite sign. */
export interface ReversalLine {
  readonly lineNo: number;
  readonly amount: string;
  readonly tax: string;
  readonly quantity?: string;
}

/** A red-letter invoice already issued against the blue invoice, as `planReversal` planned it. */
export interface PreviousReversal {
  readonly kind: 'full' | 'partial';
  readonly lines: readonly ReversalLine[];
}

export type ReversalRequest =
  | { readonly kind: 'full' }
  | {
      readonly kind: 'partial';
      /** Positive net amounts (and optionally quantities) to take back from the named blue lines. */
      readonly lines: readonly {
        readonly lineNo: number;
        readonly amount: string;
        readonly quantity?: string;
      }[];
    };

export interface ReversalInput {
  readonly blue: { readonly number: string; readonly lines: readonly BlueLine[] };
  readonly previousReversals: readonly PreviousReversal[];
  readonly request: ReversalRequest;
}

export interface ReversalPlan {
  readonly blueNumber: string;
  readonly kind: 'full' | 'partial';
  readonly lines: readonly ReversalLine[];
  /** Negative totals of the red-letter invoice. */
  readonly totals: { readonly amount: string; readonly tax: string; readonly gross: string };
}

/** Figures as they stand on the blue invoice (for previous reversals: their magnitudes). */
interface Figures {
  readonly lineNo: number;
  readonly amount: Dec;
  readonly tax: Dec;
  readonly quantity?: Dec;
}

interface Blue {
  readonly number: string;
  /** In line-number order. */
  readonly lines: readonly Figures[];
  /** Normal lines with their discount folded in: what partial reversals may take back. */
  readonly reversible: ReadonlyMap<number, Figures>;
}

interface History {
  readonly fullyReversed: boolean;
  readonly partiallyReversed: boolean;
  /** Per blue line, what partial reversals have taken back so far. */
  readonly reversed: ReadonlyMap<number, Figures>;
}

/**
 * Plans a red-letter invoice. Full: the mirror image of the blue invoice, once, and only while nothing has
 * been reversed. Partial: named normal lines, each taken net of its discount line, never beyond what earlier
 * partial reversals left. Tax follows the line's tax in proportion, and the reversal that empties a line
 * takes exactly the tax left on it, so a line's reversals add up to the line.
 */
export function planReversal(input: ReversalInput): Result<ReversalPlan, ValidationFailure> {
  if (!isRecord(input)) {
    return failAll([
      { code: 'INPUT.TYPE', message: `the input must be an object, got ${describeType(input)}` },
    ]);
  }
  const blue = readBlue(input.blue);
  if (!blue.ok) return blue;
  const history = readHistory(input.previousReversals, blue.value);
  if (!history.ok) return history;
  const request = input.request;
  if (!isRecord(request) || (request.kind !== 'full' && request.kind !== 'partial')) {
    return failAll([
      { code: 'INPUT.TYPE', message: 'request.kind must be "full" or "partial"', field: 'request.kind' },
    ]);
  }
  const number = blue.value.number;
  if (history.value.fullyReversed) {
    const message = `${number} has already been reversed in full`;
    return failAll([{ code: 'REVERSAL.ALREADY_FULLY_REVERSED', message, field: 'request.kind' }]);
  }
  if (request.kind === 'full') {
    if (history.value.partiallyReversed) {
      const message = `${number} has been partly reversed: reverse what remains with a partial request`;
      return failAll([{ code: 'REVERSAL.ALREADY_PARTIALLY_REVERSED', message, field: 'request.kind' }]);
    }
    return ok(plan(number, 'full', blue.value.lines));
  }
  const lines = planPartialLines(request.lines, blue.value, history.value);
  return lines.ok ? ok(plan(number, 'partial', lines.value)) : lines;
}

/** The red-letter invoice for the given figures: each negated, with totals. */
function plan(blueNumber: string, kind: 'full' | 'partial', reversing: readonly Figures[]): ReversalPlan {
  const lines = reversing.map(({ lineNo, amount, tax, quantity }) => ({
    lineNo,
    amount: formatMoney(amount.neg()),
    tax: formatMoney(tax.neg()),
    ...(quantity && { quantity: quantity.neg().toFixed() }),
  }));
  const amount = Dec.sum(0, ...reversing.map((line) => line.amount)).neg();
  const tax = Dec.sum(0, ...reversing.map((line) => line.tax)).neg();
  return {
    blueNumber,
    kind,
    lines,
    totals: { amount: formatMoney(amount), tax: formatMoney(tax), gross: formatMoney(amount.plus(tax)) },
  };
}

function readBlue(value: unknown): Result<Blue, ValidationFailure> {
  if (!isRecord(value)) {
    return failAll([{ code: 'INPUT.TYPE', message: 'blue must be an object', field: 'blue' }]);
  }
  const number = atField(parseInvoiceNumber(value.number as string), 'blue.number');
  const lines = readFiguresList(value.lines, 'blue.lines', (line, path) =>
    readFigures(line, path, 'positive'),
  );
  if (!number.ok || !lines.ok) {
    return failAll([...(number.ok ? [] : [number.error]), ...(lines.ok ? [] : lines.error.errors)]);
  }
  const errors: DomainError[] = [];
  const seen = new Set<number>();
  for (const [index, line] of lines.value.entries()) {
    if (seen.has(line.lineNo)) {
      errors.push({
        code: 'REVERSAL.DUPLICATE_LINE',
        message: `line ${line.lineNo} appears twice`,
        field: `blue.lines[${index}].lineNo`,
      });
    }
    seen.add(line.lineNo);
  }
  if (errors.length > 0) return failAll(errors);
  const ordered = [...lines.value].sort((a, b) => a.lineNo - b.lineNo);
  const reversible = new Map<number, Figures>();
  ordered.forEach((line, index) => {
    if (line.amount.isNegative()) return;
    const discount = ordered[index + 1]?.amount.isNegative() ? ordered[index + 1] : undefined;
    reversible.set(line.lineNo, {
      ...line,
      amount: discount ? line.amount.plus(discount.amount) : line.amount,
      tax: discount ? line.tax.plus(discount.tax) : line.tax,
    });
  });
  return ok({ number: (value.number as string).trim(), lines: ordered, reversible });
}

function readHistory(value: unknown, blue: Blue): Result<History, ValidationFailure> {
  if (!Array.isArray(value)) {
    // Required, not defaulted: forgetting to load the history must not allow a second full reversal.
    const code = value === undefined ? 'INPUT.REQUIRED' : 'INPUT.TYPE';
    return failAll([
      {
        code,
        message: 'previousReversals must be an array (empty when there are none)',
        field: 'previousReversals',
      },
    ]);
  }
  const errors: DomainError[] = [];
  const reversed = new Map<number, Figures>();
  let [fullyReversed, partiallyReversed] = [false, false];
  for (const [index, reversal] of value.entries()) {
    const path = `previousReversals[${index}]`;
    if (!isRecord(reversal) || (reversal.kind !== 'full' && reversal.kind !== 'partial')) {
      errors.push({
        code: 'INPUT.TYPE',
        message: 'a previous reversal has kind "full" or "partial"',
        field: `${path}.kind`,
      });
      continue;
    }
    const lines = readFiguresList(reversal.lines, `${path}.lines`, (line, linePath) =>
      readFigures(line, linePath, 'negative'),
    );
    if (!lines.ok) {
      errors.push(...lines.error.errors);
      continue;
    }
    for (const [lineIndex, line] of lines.value.entries()) {
      const field = `${path}.lines[${lineIndex}]`;
      const original = blue.lines.find((candidate) => candidate.lineNo === line.lineNo);
      if (original === undefined) {
        errors.push({
          code: 'REVERSAL.UNKNOWN_LINE',
          message: `the blue invoice has no line ${line.lineNo}`,
          field: `${field}.lineNo`,
        });
      } else if (reversal.kind === 'partial' && !blue.reversible.has(line.lineNo)) {
        errors.push({
          code: 'REVERSAL.INVALID_PREVIOUS',
          message: 'a partial reversal never names a discount line',
          field: `${field}.lineNo`,
        });
      } else if (!line.amount.isZero() && line.amount.isNegative() === original.amount.isNegative()) {
        errors.push({
          code: 'REVERSAL.INVALID_PREVIOUS',
          message: 'a reversal line has the opposite sign of its blue line',
          field: `${field}.amount`,
        });
      } else if (reversal.kind === 'partial') {
        const sofar = reversed.get(line.lineNo);
        reversed.set(line.lineNo, {
          lineNo: line.lineNo,
          amount: line.amount.abs().plus(sofar?.amount ?? 0),
          tax: line.tax.abs().plus(sofar?.tax ?? 0),
          quantity: line.quantity?.abs().plus(sofar?.quantity ?? 0) ?? sofar?.quantity,
        });
      }
    }
    fullyReversed ||= reversal.kind === 'full';
    partiallyReversed ||= reversal.kind === 'partial';
  }
  return errors.length > 0 ? failAll(errors) : ok({ fullyReversed, partiallyReversed, reversed });
}

function planPartialLines(
  value: unknown,
  blue: Blue,
  history: History,
): Result<Figures[], ValidationFailure> {
  const requested = readFiguresList(value, 'request.lines', (line, path) => readRequestLine(line, path));
  if (!requested.ok) return requested;
  const errors: DomainError[] = [];
  const planned: Figures[] = [];
  const seen = new Set<number>();
  for (const [index, line] of requested.value.entries()) {
    const path = `request.lines[${index}]`;
    const target = blue.reversible.get(line.lineNo);
    if (target === undefined) {
      const isDiscount = blue.lines.some((candidate) => candidate.lineNo === line.lineNo);
      errors.push(
        isDiscount
          ? {
              code: 'REVERSAL.DISCOUNT_LINE',
              message: `line ${line.lineNo} is a discount line: reverse the line it discounts`,
              field: `${path}.lineNo`,
            }
          : {
              code: 'REVERSAL.UNKNOWN_LINE',
              message: `the blue invoice has no line ${line.lineNo}`,
              field: `${path}.lineNo`,
            },
      );
      continue;
    }
    if (seen.has(line.lineNo)) {
      errors.push({
        code: 'REVERSAL.DUPLICATE_LINE',
        message: `line ${line.lineNo} is named twice`,
        field: `${path}.lineNo`,
      });
      continue;
    }
    seen.add(line.lineNo);
    const sofar = history.reversed.get(line.lineNo);
    const remaining = target.amount.minus(sofar?.amount ?? 0);
    const remainingTax = target.tax.minus(sofar?.tax ?? 0);
    const remainingQuantity = target.quantity?.minus(sofar?.quantity ?? 0);
    if (line.quantity && !(remainingQuantity && line.quantity.lte(remainingQuantity))) {
      const message = `line ${line.lineNo} has a quantity of ${remainingQuantity?.toFixed() ?? 'none'} left to reverse`;
      errors.push({ code: 'REVERSAL.EXCEEDS_REMAINING', message, field: `${path}.quantity` });
    }
    if (line.amount.gt(remaining)) {
      const message = `line ${line.lineNo} has ${formatMoney(remaining)} left to reverse, not ${formatMoney(line.amount)}`;
      errors.push({ code: 'REVERSAL.EXCEEDS_REMAINING', message, field: `${path}.amount` });
      continue;
    }
    const proportional = roundToFen(target.tax.times(line.amount).div(target.amount));
    const tax = line.amount.eq(remaining) || proportional.gt(remainingTax) ? remainingTax : proportional;
    planned.push({ ...line, tax });
  }
  return errors.length > 0 ? failAll(errors) : ok(planned);
}

/** A non-empty array whose every element `read` accepts; reports every bad element. */
function readFiguresList<T>(
  value: unknown,
  path: string,
  read: (line: unknown, path: string) => Result<T, ValidationFailure>,
): Result<T[], ValidationFailure> {
  if (!Array.isArray(value) || value.length === 0) {
    const code = value === undefined || Array.isArray(value) ? 'INPUT.REQUIRED' : 'INPUT.TYPE';
    return failAll([{ code, message: `${path} must be a non-empty array`, field: path }]);
  }
  const results = Array.from(value, (line: unknown, index) => read(line, `${path}[${index}]`));
  const errors = results.flatMap((result) => (result.ok ? [] : result.error.errors));
  return errors.length > 0 ? failAll(errors) : ok(results.map((result) => (result as { value: T }).value));
}

/** A blue line (figures as issued) or a previous reversal's line (figures negated). */
function readFigures(
  value: unknown,
  path: string,
  quantitySign: 'positive' | 'negative',
): Result<Figures, ValidationFailure> {
  if (!isRecord(value)) {
    return failAll([{ code: 'INPUT.TYPE', message: 'a line must be an object', field: path }]);
  }
  const lineNo = readLineNo(value.lineNo, `${path}.lineNo`);
  const amount = readMoney(value.amount, `${path}.amount`, 'amount');
  const tax = readMoney(value.tax, `${path}.tax`, 'tax');
  const quantity = readQuantity(value.quantity, `${path}.quantity`, quantitySign);
  if (!lineNo.ok || !amount.ok || !tax.ok || !quantity.ok) {
    return failAll([lineNo, amount, tax, quantity].flatMap((result) => (result.ok ? [] : [result.error])));
  }
  return ok({
    lineNo: lineNo.value,
    amount: amount.value,
    tax: tax.value,
    ...(quantity.value && { quantity: quantity.value }),
  });
}

function readRequestLine(value: unknown, path: string): Result<Figures, ValidationFailure> {
  if (!isRecord(value)) {
    return failAll([{ code: 'INPUT.TYPE', message: 'a line must be an object', field: path }]);
  }
  const lineNo = readLineNo(value.lineNo, `${path}.lineNo`);
  const amount = readMoney(value.amount, `${path}.amount`, 'amount');
  const quantity = readQuantity(value.quantity, `${path}.quantity`, 'positive');
  const positive =
    amount.ok && (amount.value.isNegative() || amount.value.isZero())
      ? fail(
          'REVERSAL.AMOUNT_NOT_POSITIVE',
          'the amount to reverse is positive (the red-letter invoice negates it)',
          `${path}.amount`,
        )
      : amount;
  if (!lineNo.ok || !positive.ok || !quantity.ok) {
    return failAll([lineNo, positive, quantity].flatMap((result) => (result.ok ? [] : [result.error])));
  }
  return ok({
    lineNo: lineNo.value,
    amount: positive.value,
    tax: new Dec(0),
    ...(quantity.value && { quantity: quantity.value }),
  });
}

function readLineNo(value: unknown, field: string): Result<number> {
  return Number.isSafeInteger(value) && (value as number) > 0
    ? ok(value as number)
    : fail('INPUT.TYPE', `lineNo must be a positive integer, got ${show(value)}`, field);
}

function readQuantity(value: unknown, field: string, sign: 'positive' | 'negative'): Result<Dec | undefined> {
  if (value === undefined) return ok(undefined);
  const parsed = typeof value === 'string' ? readPlainDecimal(value) : undefined;
  const signed = parsed && !parsed.value.isZero() && parsed.value.isNegative() === (sign === 'negative');
  return signed
    ? ok(parsed.value)
    : fail('LINE.QUANTITY', `quantity must be a ${sign} decimal string`, field);
}
