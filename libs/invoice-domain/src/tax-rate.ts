import { Dec, readPlainDecimal } from './decimal';
import { expectString, show } from './input';
import { fail, ok, type Result } from './result';

/** The label of the 免税 (exempt) entry: no tax is charged, and the invoice shows 免税 rather than 0 %. */
export const EXEMPT = 'exempt';

/**
 * VAT rates (13 %, 9 %, 6 %), simplified-method levy rates (5 %, 3 %, 1 %), zero rate (exports) and
 * exemption. Configuration, not law in code: pass `rates` to follow a change of rates.
 */
export const DEFAULT_TAX_RATES: readonly string[] = [
  '0.13',
  '0.09',
  '0.06',
  '0.05',
  '0.03',
  '0.01',
  '0',
  EXEMPT,
];

export interface TaxRateOptions {
  /** Decimal fractions ("0.13") and/or "exempt"; defaults to DEFAULT_TAX_RATES. */
  readonly rates?: readonly string[];
}

export interface TaxRate {
  /** The table's spelling: what computed lines carry, so "0.130" comes back as "0.13". */
  readonly label: string;
  readonly value: Dec;
  readonly exempt: boolean;
}

export type RateTable = readonly TaxRate[];

/** Reads the configured rate table once per call, so a bad configuration is reported rather than thrown. */
export function resolveRateTable(options?: TaxRateOptions): Result<RateTable> {
  const rates = options?.rates ?? DEFAULT_TAX_RATES;
  if (!Array.isArray(rates) || rates.length === 0) {
    return fail('CONFIG.INVALID', 'rates must be a non-empty array of rate strings', 'rates');
  }
  const table: TaxRate[] = [];
  for (const [index, label] of rates.entries()) {
    if (label === EXEMPT) {
      table.push({ label, value: new Dec(0), exempt: true });
      continue;
    }
    const parsed = typeof label === 'string' ? readPlainDecimal(label) : undefined;
    if (parsed === undefined || parsed.value.isNegative() || parsed.value.gte(1)) {
      return fail(
        'CONFIG.INVALID',
        `a rate is "${EXEMPT}" or a decimal fraction in [0, 1), got ${show(label)}`,
        `rates[${index}]`,
      );
    }
    table.push({ label, value: parsed.value, exempt: false });
  }
  return ok(table);
}

/** Looks a rate up in the table: "0.13" and "0.130" are the same rate; "13%" is not a rate string. */
export function readTaxRate(value: unknown, table: RateTable, field?: string): Result<TaxRate> {
  const text = expectString(value, 'tax rate', field);
  if (!text.ok) return text;
  let entry: TaxRate | undefined;
  if (text.value === EXEMPT) {
    entry = table.find((rate) => rate.exempt);
  } else {
    const parsed = readPlainDecimal(text.value);
    if (parsed === undefined || parsed.value.isNegative()) {
      const message = `a tax rate is a decimal fraction such as "0.13", or "${EXEMPT}"; got ${show(text.value)}`;
      return fail('TAX_RATE.FORMAT', message, field);
    }
    entry = table.find((rate) => !rate.exempt && rate.value.eq(parsed.value));
  }
  if (entry !== undefined) return ok(entry);
  const known = table.map((rate) => rate.label).join(', ');
  return fail('TAX_RATE.NOT_IN_TABLE', `tax rate ${show(text.value)} is not one of ${known}`, field);
}
