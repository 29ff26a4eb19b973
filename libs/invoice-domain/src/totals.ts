import { Dec } from './decimal';
import { describeType, isRecord } from './input';
import { formatMoney, readMoney, roundToFen } from './money';
import { type DomainError, fail, failAll, ok, type Result, under, type ValidationFailure } from './result';
import { readTaxRate, resolveRateTable, type TaxRateOptions } from './tax-rate';

export interface TotalsLine {
  readonly net: string;
  readonly tax: string;
  readonly taxRate: string;
}

export interface TotalsOptions extends TaxRateOptions {
  /** Largest |tax − round(net × rate)| accepted on one line; default 0.06. */
  readonly lineTolerance?: string;
  /** Largest |Σ (tax − round(net × rate))| accepted on one invoice; default 1.27. */
  readonly invoiceTolerance?: string;
}

export interface InvoiceTotals {
  readonly net: string;
  readonly tax: string;
  readonly gross: string;
  /** Σ (tax − round(net × rate)) over the lines: what the invoice tolerance bounds. */
  readonly taxDifference: string;
}

export const DEFAULT_LINE_TAX_TOLERANCE = '0.06';
export const DEFAULT_INVOICE_TAX_TOLERANCE = '1.27';

/**
 * Totals of an invoice's lines, after checking each line's tax against its net and rate within the line
 * tolerance and the lines' summed differences within the invoice tolerance (the tax system's limits for
 * tax computed line by line from tax-inclusive prices). Exact decimal sums, so line order never matters.
 * Every failing line is reported; the first failure leads.
 */
export function computeInvoiceTotals(
  lines: readonly TotalsLine[],
  options?: TotalsOptions,
): Result<InvoiceTotals, ValidationFailure> {
  const table = resolveRateTable(options);
  if (!table.ok) return failAll([table.error]);
  const lineTolerance = readTolerance(options?.lineTolerance ?? DEFAULT_LINE_TAX_TOLERANCE, 'lineTolerance');
  if (!lineTolerance.ok) return failAll([lineTolerance.error]);
  const invoiceTolerance = readTolerance(
    options?.invoiceTolerance ?? DEFAULT_INVOICE_TAX_TOLERANCE,
    'invoiceTolerance',
  );
  if (!invoiceTolerance.ok) return failAll([invoiceTolerance.error]);
  if (!Array.isArray(lines)) {
    return failAll([
      { code: 'INPUT.TYPE', message: `lines must be an array, got ${describeType(lines)}`, field: 'lines' },
    ]);
  }

  const errors: DomainError[] = [];
  let [net, tax, difference] = [new Dec(0), new Dec(0), new Dec(0)];
  let allRead = true;
  for (const [index, line] of lines.entries()) {
    const path = `lines[${index}]`;
    if (!isRecord(line)) {
      errors.push({
        code: 'INPUT.TYPE',
        message: `a line must be an object, got ${describeType(line)}`,
        field: path,
      });
      allRead = false;
      continue;
    }
    const read = [
      readMoney(line.net, 'net', 'net'),
      readMoney(line.tax, 'tax', 'tax'),
      readTaxRate(line.taxRate, table.value, 'taxRate'),
    ] as const;
    const [lineNet, lineTax, rate] = read;
    if (!lineNet.ok || !lineTax.ok || !rate.ok) {
      for (const result of read) if (!result.ok) errors.push(under(path, result.error));
      allRead = false;
      continue;
    }
    const expected = roundToFen(lineNet.value.times(rate.value.value));
    const lineDifference = lineTax.value.minus(expected);
    if (lineDifference.abs().gt(lineTolerance.value)) {
      errors.push({
        code: 'TOTALS.LINE_TAX_TOLERANCE',
        message: `line ${index + 1}: tax ${formatMoney(lineTax.value)} differs from ${formatMoney(expected)} (net × rate) by more than ${formatMoney(lineTolerance.value)}`,
        field: `${path}.tax`,
      });
    }
    net = net.plus(lineNet.value);
    tax = tax.plus(lineTax.value);
    difference = difference.plus(lineDifference);
  }
  if (allRead && difference.abs().gt(invoiceTolerance.value)) {
    errors.push({
      code: 'TOTALS.INVOICE_TAX_TOLERANCE',
      message: `the lines' tax differs from net × rate by ${formatMoney(difference)} in total, more than ${formatMoney(invoiceTolerance.value)}`,
      field: 'lines',
    });
  }
  if (errors.length > 0) return failAll(errors);
  return ok({
    net: formatMoney(net),
    tax: formatMoney(tax),
    gross: formatMoney(net.plus(tax)),
    taxDifference: formatMoney(difference),
  });
}

function readTolerance(value: unknown, field: string): Result<Dec> {
  const tolerance = readMoney(value, field, field);
  if (!tolerance.ok) return fail('CONFIG.INVALID', tolerance.error.message, field);
  return tolerance.value.isNegative()
    ? fail('CONFIG.INVALID', `${field} must not be negative`, field)
    : tolerance;
}
